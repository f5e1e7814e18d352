/**
 * A closed federation closes everything: with `federation.mode` "closed" the
 * scenario as run has no remote servers (`federation.remoteServers` 0), no
 * joins of remote rooms (`federation.publicRoomJoinsPerDay` 0), no rooms of
 * the kinds created elsewhere (`hostedRemotely`, or joined at a `joinAt`:
 * their count is 0), and no per-kind remote servers. Rooms of the other kinds
 * keep their local members and lose their remote ones: the world draws a
 * room's members as written and counts none of them remote
 * (src/model/world.ts, docs/MODEL.md "Sizes"), so `remoteMemberShare` and
 * `localMembers` keep their meaning of "which of the members are local".
 *
 * One field, `"mode": "closed"` (or `--set federation.mode=closed`), is then
 * enough to try a scenario without federation; the validator accepts what the
 * rest of the file federates (cross-field.ts) and a warning lists what closing
 * switched off.
 */
import type { Scenario } from './grammar.js';
import { messages } from './messages.js';
import { formatPath, renderValue, type Warning } from './problem.js';

/**
 * The scenario with federation closed everywhere when its mode is "closed"
 * (the same scenario otherwise), and one warning listing what closing switched
 * off (none when nothing federated).
 */
export function closeFederation(s: Scenario): { scenario: Scenario; warnings: Warning[] } {
  if (s.federation.mode !== 'closed') return { scenario: s, warnings: [] };
  const off: string[] = [];
  const note = (path: readonly (string | number)[], value: unknown) => off.push(messages.switchedOff(formatPath(path), renderValue(value)));
  if (s.federation.remoteServers > 0) note(['federation', 'remoteServers'], s.federation.remoteServers);
  if (s.federation.publicRoomJoinsPerDay > 0) note(['federation', 'publicRoomJoinsPerDay'], s.federation.publicRoomJoinsPerDay);
  const kinds = s.rooms.kinds.map((kind, i) => {
    const base = ['rooms', 'kinds', i];
    const elsewhere = kind.hostedRemotely || kind.joinAt !== undefined;
    if (elsewhere && (kind.count ?? 1) > 0) {
      note([...base, kind.hostedRemotely ? 'hostedRemotely' : 'joinAt'], kind.hostedRemotely ? true : kind.joinAt);
      const { joinAt: _joinAt, membershipsPerUser: _memberships, remoteServers: _servers, ...rest } = kind;
      return { ...rest, count: 0 };
    }
    if (kind.remoteMemberShare > 0) note([...base, 'remoteMemberShare'], kind.remoteMemberShare);
    if (kind.localMembers !== undefined) note([...base, 'localMembers'], kind.localMembers);
    if (kind.remoteServers === undefined) return kind;
    const { remoteServers: _servers, ...rest } = kind;
    return rest;
  });
  const scenario: Scenario = {
    ...s,
    federation: { ...s.federation, remoteServers: 0, publicRoomJoinsPerDay: 0 },
    rooms: { ...s.rooms, kinds },
  };
  return { scenario, warnings: off.length === 0 ? [] : [{ path: 'federation.mode', message: messages.federationClosed(off) }] };
}
