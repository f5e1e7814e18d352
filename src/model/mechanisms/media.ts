/**
 * Media: uploads by local users (stored with thumbnails for images, viewed by
 * the room's online members, fetched once by each remote server whose users
 * look), URL previews, and remote media fetched once into the cache when a
 * local member looks at it. Synapse thumbnails images in unencrypted rooms
 * only; in encrypted rooms the sending client uploads an encrypted thumbnail.
 */
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { RandomSource } from '../../engine/random.js';
import type { ReplicationState } from '../state.js';

const MIB = 1024 * 1024;

export class Media {
  constructor(private readonly st: ReplicationState) {}

  /** A local user uploads a file into one of their rooms. Draws from 'actions'. */
  upload(u: number): void {
    const st = this.st;
    const j = st.pickMembership(u);
    if (j < 0) return;
    const s = st.s;
    const r = st.w.userRoom[j]!;
    const size = st.mediaBytes.sample(st.rActions);
    if (size > s.features.mediaMaxBytes) {
      st.count(M['media.rejected'], 1);
      return;
    }
    const image = st.rActions() < s.behaviour.media.imageShare;
    const encrypted = st.w.roomEncrypted[r] === 1;
    st.count(M['media.upload'], 1);
    st.server.submit('mediaUpload', size / MIB, u);
    st.count(M['media.bytes_in'], size);
    st.addStorage(M['storage.localMedia'], size);
    // An encrypted upload is ciphertext Synapse cannot thumbnail: the client
    // uploads its own encrypted thumbnail beside it (spec thumbnail_file).
    const clientThumbnail = image && encrypted ? Math.min(size, K.clientThumbnailBytes) : 0;
    if (clientThumbnail > 0) {
      st.server.submit('mediaUpload', clientThumbnail / MIB, u);
      st.count(M['media.bytes_in'], clientThumbnail);
      st.addStorage(M['storage.localMedia'], clientThumbnail);
    } else if (image) {
      st.server.submit('thumbnail', 1, u);
      st.addStorage(M['storage.thumbnails'], Math.min(size, K.thumbnailBytes));
    }
    if (encrypted) st.m.e2ee.beforeSend(u, j, r);
    st.persistAndFanOut(
      r,
      encrypted ? M['m.room.encrypted'] : M['m.room.message'],
      (encrypted ? K.encryptedPduBytes : K.pduBytes) + K.mediaEventContentBytes,
      (encrypted ? K.encryptedSyncEventBytes : K.syncEventBytes) + K.mediaEventContentBytes,
      false,
    );
    st.count(M['client.bytes_in'], K.httpRequestBytes * (clientThumbnail > 0 ? 3 : 2) + K.bodyEnvelopeBytes + K.mediaEventContentBytes);
    // Its body (the file name) is indexed for search in an unencrypted room.
    st.m.search.index(r, K.mediaBodyBytes);
    // Local members who look at it download it; each remote server fetches it once if its users do.
    const viewers = Math.max(0, st.onlineUsers[r]! - 1) * s.behaviour.media.viewShare;
    st.count(M['media.bytes_out'], viewers * size);
    st.server.submit('mediaDownload', (viewers * size) / MIB, r);
    const [from, to] = st.destinationsOf(r);
    if (to > from) {
      const perServer = s.behaviour.media.viewShare * size;
      st.count(M['media.fed_bytes_out'], (to - from) * perServer);
      const fetched = st.fed?.trust.mediaBytes;
      if (fetched) for (let x = from; x < to; x++) fetched[st.w.roomDest[x]!]! += perServer;
    }
    st.m.push.forEvent(r, false);
    st.m.receipts.read(r, st.onlineUsers[r]! - 1);
  }

  /** A URL preview generated for a message in room r. */
  urlPreview(r: number): void {
    const st = this.st;
    st.count(M['url.preview'], 1);
    st.server.submit('urlPreview', 1, r);
    st.count(M['media.bytes_in'], K.urlPreviewBytesIn);
    st.addStorage(M['storage.urlPreviews'], K.urlPreviewStoredBytes);
  }

  /**
   * Remote media posted in room r: fetched once if a local member looks at it,
   * then cached; an image is thumbnailed here, or in an encrypted room comes
   * with its sender's encrypted thumbnail, fetched too. Draws from `rng` ('remote' unless given).
   */
  remoteMedia(r: number, rng: RandomSource = this.st.rRemote): void {
    const st = this.st;
    const s = st.s;
    const viewers = st.onlineUsers[r]! * s.behaviour.media.viewShare;
    if (!(viewers > 0 && rng() < 1 - Math.pow(1 - s.behaviour.media.viewShare, st.onlineUsers[r]!))) return;
    const size = Math.min(st.mediaBytes.sample(rng), s.features.mediaMaxBytes);
    st.count(M['media.fed_bytes_in'], size);
    st.count(M['media.bytes_in'], size);
    st.addStorage(M['storage.remoteMedia'], size);
    st.server.submit('mediaDownload', size / MIB, r);
    if (rng() < s.behaviour.media.imageShare) {
      if (st.w.roomEncrypted[r] === 1) {
        const thumbnail = Math.min(size, K.clientThumbnailBytes);
        st.count(M['media.fed_bytes_in'], thumbnail);
        st.count(M['media.bytes_in'], thumbnail);
        st.addStorage(M['storage.remoteMedia'], thumbnail);
        st.server.submit('mediaDownload', thumbnail / MIB, r);
      } else {
        st.addStorage(M['storage.thumbnails'], Math.min(size, K.thumbnailBytes));
        st.server.submit('thumbnail', 1, r);
      }
    }
    st.count(M['media.bytes_out'], viewers * size);
  }
}
