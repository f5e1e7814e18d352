/**
 * Push notifications: default push rules notify every message in a
 * two-member room and mentions elsewhere (spec push rules
 * .m.rule.room_one_to_one, .m.rule.is_user_mention); Synapse pushes to every
 * pusher of the notified users whether or not they are online. The
 * recipients' own servers push to them: only local recipients count here.
 */
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';

export class Push {
  private readonly mobileDevicesPerUser: number;

  constructor(private readonly st: ReplicationState) {
    this.mobileDevicesPerUser = st.s.population.devicesPerUser * st.s.population.mobileDeviceShare;
  }

  /** The pushes for one event in room r, sent by a local user or (`fromRemote`) a remote one. */
  forEvent(r: number, fromRemote: boolean): void {
    const st = this.st;
    const local = st.w.roomLocalMembers[r]!;
    const members = local + st.w.roomRemoteMembers[r]!;
    const localRecipients = fromRemote ? local : local - 1;
    if (localRecipients <= 0) return;
    const notified = members === 2 ? 1 : members > 2 ? st.s.behaviour.mentionShare * (localRecipients / (members - 1)) : 0;
    const pushes = notified * this.mobileDevicesPerUser;
    if (pushes > 0) {
      st.server.submit('push', pushes, r);
      st.count(M['push.notifications'], pushes);
      st.count(M['push.bytes'], pushes * K.pushRequestBytes);
    }
  }
}
