/**
 * Every message a user can see about a scenario: the problems validation
 * finds (validate.ts, cross-field.ts), the warnings a valid scenario may
 * carry, and the problems of reading the file and applying `--set` overrides
 * (load.ts, overrides.ts). All user-facing wording of scenario problems and
 * warnings lives here, so tests compare with these functions rather than
 * with copied text.
 */
import { roundSignificant } from '../numeric/index.js';

const quote = (s: unknown) => JSON.stringify(s);
const list = (values: readonly unknown[]) => values.map(quote).join(', ');
/** What a problem of a federation closed by default adds: the two ways out. */
const CLOSED_BY_DEFAULT = ' (closed is the default; set federation.mode to "open" or "allowList" to federate, or write "closed" to close federation everywhere, this included)';
/** Numbers as people write them: no floating-point noise like 0.30000000000000004. */
const num = (x: number) => String(roundSignificant(x, 12));

/**
 * Every message a user can see about a scenario. Rules complete the sentence
 * "expected ..."; `received*` complete "got ...".
 */
export const messages = {
  // --- from the grammar (zod issues) ---
  typeName(expected: string): string {
    const names: Record<string, string> = {
      number: 'a number',
      int: 'an integer',
      string: 'a string',
      boolean: 'true or false',
      object: 'an object',
      array: 'an array',
      null: 'null',
    };
    return names[expected] ?? `a value of type ${expected}`;
  },
  wrongType(expected: string, nullable: boolean, missing: boolean): string {
    return `${messages.typeName(expected)}${nullable ? ' or null' : ''}${missing ? ' (required)' : ''}`;
  },
  numberAtLeast: (min: number | bigint) => `a number >= ${min}`,
  numberAbove: (min: number | bigint) => `a number > ${min}`,
  numberAtMost: (max: number | bigint) => `a number <= ${max}`,
  numberBelow: (max: number | bigint) => `a number < ${max}`,
  itemsExactly: (n: number | bigint) => `exactly ${n} item${Number(n) === 1 ? '' : 's'}`,
  itemsAtLeast: (n: number | bigint) => `at least ${n} item${Number(n) === 1 ? '' : 's'}`,
  itemsAtMost: (n: number | bigint) => `at most ${n} item${Number(n) === 1 ? '' : 's'}`,
  nonEmptyString: () => 'a non-empty string',
  charactersAtLeast: (n: number | bigint) => `a string of at least ${n} characters`,
  charactersAtMost: (n: number | bigint) => `a string of at most ${n} characters`,
  matching: (pattern: string) => `a string matching ${pattern}`,
  oneOf: (values: readonly unknown[]) => (values.length === 1 ? quote(values[0]) : `one of ${list(values)}`),
  multipleOf: (divisor: number | bigint) => `a multiple of ${divisor}`,
  either: (rules: readonly string[]) => rules.join(' or '),
  unknownField(suggestion: string | undefined, known: readonly string[]): string {
    if (suggestion !== undefined) return `a known field (did you mean ${quote(suggestion)}?)`;
    return known.length > 0 ? `a known field (known here: ${known.join(', ')})` : 'no fields here';
  },

  // --- cross-field checks ---
  sharesSumToOne: () => 'class shares summing to 1',
  receivedShareSum: (sum: number) => `shares summing to ${num(sum)}`,
  countOrMemberships: () => 'exactly one of "count" or "membershipsPerUser" (how many rooms of this kind)',
  receivedNeither: () => 'neither',
  uniformMaxAboveMin: (min: number) => `a number > min (${num(min)}) for a uniform distribution (for a fixed value use {"kind": "deterministic", "value": ${num(min)}})`,
  paretoMaxAboveMin: (min: number) => `a number > min (${num(min)}) for a pareto distribution`,
  weightsPerValue: (values: number) => `as many weights as values (${values})`,
  somePositiveWeight: () => 'at least one positive weight',
  localMembersWithinUsers: (users: number, smallestLocal: number, fixed = false) =>
    `rooms whose local members fit in population.users (${users}): the smallest possible room here has ${smallestLocal} local members, more than there are users${fixed ? '; for a room of everyone that grows and shrinks with the users, give "membersShare": 1 instead of members' : ''}`,
  membersOrShare: () => 'exactly one of "members" (a number or distribution of members) or "membersShare" (members as a share of population.users)',
  membersAtLeastOne: (smallest: number) =>
    `a distribution whose smallest possible room has at least 1 member (a room needs a member, a direct chat 2); here it is ${num(smallest)}`,
  zeroWhenClosed: () => `0 when federation.mode is "closed"${CLOSED_BY_DEFAULT}`,
  falseWhenClosed: () => `false when federation.mode is "closed"${CLOSED_BY_DEFAULT}`,
  remoteServersForRemoteMembers: (kindPath: string, share: number) => `at least 1 when rooms have remote members (${kindPath}.remoteMemberShare is ${num(share)})`,
  remoteServersForLocalMembers: (kindPath: string, localMembers: number) =>
    `at least 1 when rooms have remote members (${kindPath}.localMembers is ${num(localMembers)}, fewer than its rooms' members)`,
  remoteShareWhenHostedRemotely: () => 'more than 0 when hostedRemotely is true (a room hosted elsewhere has remote members)',
  noneWhenClosed: () => `nothing when federation.mode is "closed" (a server that does not federate joins no remote room)${CLOSED_BY_DEFAULT}`,
  joinWithinRun: (days: number) => `a time within the run: day from 1 to run.days (${num(days)}), before its end`,
  incidentEndsInRun: (minutesLeft: number) =>
    `a duration that ends before the run does (less than ${num(minutesLeft)} minutes from its start), leaving time to see the recovery; lengthen run.days or start it earlier`,
  bigRoomKind: () => 'the name of a room kind with "hostedRemotely": true and no joinAt, in a federating scenario (the rooms the incident joins)',
  largestOrShare: () => 'exactly one of "largest" (the N most popular remote servers), "share" (a share picked at random) or "names" (servers named in federation.partners)',
  namedOnce: () => 'a name not given before in the same list',
  partnerName: (partners: readonly string[]) =>
    partners.length === 0 ? 'a name listed in federation.partners (none are listed)' : `one of federation.partners: ${partners.map((x) => JSON.stringify(x)).join(', ')}`,
  componentRoomKind: (names: readonly string[]) => `the name of a room kind of rooms.kinds (${list(names)})`,
  noOverlap: (other: string, down: boolean) =>
    `a time after ${other} ends: ${down ? 'incidents that take this server down (outage, restore; a restore lasts until its copy is done, so put it last)' : 'remote outages'} must not overlap`,
  remoteOutageNeedsServers: () => 'remote servers to take down: federation.mode "open" or "allowList" with federation.remoteServers above 0',
  atMostUsers: (users: number) => `at most population.users (${num(users)})`,
  minLifetimeAtMostMax: (maxDays: number) => `at most maxLifetimeDays (${num(maxDays)}): a room's events cannot be kept longer than they live`,
  atMostRemoteServers: (servers: number) => `at most federation.remoteServers (${num(servers)})`,
  binWithinRun: (days: number) => `at most run.days x 1440 = ${num(days * 1440)} minutes (one bin cannot be longer than the run)`,
  onlineToAct: (what: string, perDay: number) => `more than 0 when ${what} is ${num(perDay)} (a class that is never online sends nothing)`,
  uniqueName: (what: string, otherPath: string, name: string) => `a name not used by another ${what} (${otherPath} is also ${quote(name)})`,
  callParticipantsAtLeastTwo: (largest: number) =>
    `a distribution that can draw 2 participants or more (a call has at least 2: smaller draws count as 2); here it draws at most ${num(largest)}`,
  callDurationAboveZero: () => 'a distribution that can draw a call longer than 0 minutes',
  meanSessionAtLeast: (minutes: number, mean: number) =>
    `a distribution whose mean is at least ${num(minutes)} minute${minutes === 1 ? '' : 's'} (users come online at a rate of those online over the mean session); here it is ${num(mean)}`,
  wholeBins: (days: number) =>
    `a divisor of run.days x 1440 = ${num(days * 1440)} minutes, so that the run is a whole number of bins (a partial last bin would under-count its rates)`,
  noShareWithLocalMembers: () => 'nothing when localMembers is given (the members beyond the local ones are remote)',
  localWithinMembers: (largest: number) => `at most the members of a room of this kind (${num(largest)} at the largest)`,
  allLocalWhenClosed: (smallest: number) =>
    `at least the members of a room of this kind (${num(smallest)} at the smallest) when federation.mode is "closed": the others would be remote${CLOSED_BY_DEFAULT}`,
  stateForEveryMember: (smallest: number) =>
    `at least the members of a room of this kind (${num(smallest)} at the smallest): each member has a membership event in the current state`,
  noWorkerMode: (implementation: string) =>
    `"monolith" (the default) for ${quote(implementation)}: it runs as one multi-threaded process and has no workers (give its cores in run.server.cores); only "synapse" and "synapse-pro" have workers`,

  // --- warnings (the scenario runs) ---
  archivedImplementation: (name: string, runsAs: string) =>
    `${quote(name)} is archived and no longer maintained; this scenario runs as ${quote(runsAs)}, its successor (write ${quote(runsAs)} to silence this warning)`,

  switchedOff: (path: string, value: string) => `${path} (${value})`,
  federationClosed: (off: readonly string[]) =>
    `"closed": this server federates with no one, so what the scenario federates is switched off: ${off.join(', ')}; rooms keep their local members, rooms created elsewhere are not joined`,
  staleRoomSize: (members: number, users: number) =>
    `${num(members)} members, the file's population.users, stays ${num(members)} with population.users ${num(users)}; for a room of everyone, give "membersShare": 1 instead of members`,

  // --- a scenario changed by --set overrides (src/scenario/display.ts) ---
  modifiedTitle: (name: string, overrides: readonly string[]) => `${name} (modified: ${overrides.join(', ')})`,
  modifiedDescription: (overrides: readonly string[], original: string) =>
    `Modified with --set ${overrides.join(', ')}, which take precedence over the original description that follows. Based on: ${original}`,

  // --- files and overrides (src/scenario/load.ts, overrides.ts) ---
  fileHeadline: (file: string, problems: number) => `${file}: invalid scenario, ${problems} problem${problems === 1 ? '' : 's'}:`,
  unreadableHeadline: (file: string) => `${file}: cannot read the scenario file:`,
  utf8Text: () => 'UTF-8 text (JSON files are UTF-8, RFC 8259)',
  notUtf8Byte: (byte: number, offset: number, line: number, column: number) =>
    `the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at offset ${offset} (line ${line}, byte ${column} of the line), which is not UTF-8`,
  readableFile: () => 'an existing, readable scenario file',
  fileError: (code: string | undefined, detail: string) =>
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : code === 'EACCES' ? 'permission denied' : detail,
  jsonLocation: (line: number, column: number) => `line ${line}, column ${column}`,
  jsonHeadline: (file: string) => `${file}: not valid JSON:`,
  // What a JSON syntax error expected where it is (src/scenario/json.ts).
  jsonValue: () => 'a value (an object, array, string, number, true, false or null)',
  jsonItemAfterComma: () => 'a value (no comma after the last item)',
  jsonAfterItem: () => '"," or "]" after an item',
  jsonAfterField: () => '"," or "}" after a field',
  jsonFieldName: (afterComma: boolean) => (afterComma ? 'a double-quoted field name (no comma after the last field)' : 'a double-quoted field name'),
  jsonColon: () => '":" after the field name',
  jsonClosingQuote: () => 'a closing quote "',
  jsonQuoteBeforeLineEnd: () => 'a closing quote " before the end of the line (or an escape like \\n)',
  jsonHexDigits: () => 'four hex digits after \\u',
  jsonEscape: () => 'an escape like \\n, \\t, \\" or \\\\ after a backslash',
  jsonNothingAfter: () => 'nothing after the JSON value',
  /** JSON that parses but that mxsim does not read: a field twice, a number a double cannot hold, too deep (src/scenario/json.ts). */
  jsonRefusedHeadline: (file: string, problems: number) => `${file}: JSON that mxsim does not accept, ${problems} problem${problems === 1 ? '' : 's'}:`,
  /** Where in a JSON document: the field's path and its line and column. */
  jsonFieldLocation: (path: string, line: number, column: number) => `${path} (line ${line}, column ${column})`,
  uniqueField: (firstLine: number, firstColumn: number) => `each field once in an object (this one is also at line ${firstLine}, column ${firstColumn})`,
  finiteNumber: () => 'a number of magnitude at most 1.7976931348623157e308 (a larger one overflows to infinity)',
  nonZeroNumber: () => 'a number of magnitude at least 5e-324, or 0 (a smaller one rounds to 0)',
  exactInteger: () => 'an integer from -9007199254740991 to 9007199254740991 (2^53 - 1; a larger one would be rounded)',
  nestingAtMost: (depth: number) => `at most ${depth} levels of nested arrays and objects (a scenario needs about 6)`,
  receivedNesting: (level: number) => `level ${level}`,
  tooLargeHeadline: (file: string) => `${file}: scenario file too large:`,
  fileAtMost: (bytes: number) => `a scenario file of at most ${num(bytes / 1024 / 1024)} MiB (${bytes} bytes)`,
  receivedFileBytes: (bytes: number, more: boolean) => `${more ? 'more than ' : ''}${bytes} bytes`,
  validJson: (detail: string) => detail,
  receivedJsonText: (text: string) => (text === '' ? 'the end of the file' : quote(text)),
  setForm: () => 'path=value, e.g. population.users=500 or rooms.kinds[0].count=10',
  setPath: () => 'a path like population.users or rooms.kinds[0].members.value before "="',
  setExistingIndex: (arrayPath: string, length: number) => `an existing index (${arrayPath} has ${length} item${length === 1 ? '' : 's'})`,
  setInto: (parentPath: string, index: boolean) => (index ? `${parentPath} to be an array to set an index in` : `${parentPath} to be an object to set a field in`),
} as const;
