/**
 * The README's commands, read from its `sh` code blocks, and its quoted
 * outputs, so that tests can run the first and compare the second (docs
 * that run: README.md never shows a command that fails or an output the tool
 * no longer prints).
 *
 * A quoted output is a fenced block preceded (blank lines and prose between
 * allowed) by a comment `<!-- output of: mxsim ARGS -->`; the command is run
 * and its stdout compared with the block, a line `  ...` in the block
 * standing for any number of lines.
 */

/** One command of a `sh` block: the words after `mxsim`, and a `> file` redirect if any. */
export interface ReadmeCommand {
  /** 1-based line in the README. */
  line: number;
  /** The line as written. */
  text: string;
  /** The program: "mxsim" or "npm". */
  program: 'mxsim' | 'npm';
  /** Arguments after the program (globs not expanded). */
  args: string[];
  /** File that stdout is redirected to, if any. */
  stdoutTo?: string;
}

export interface QuotedOutput {
  /** 1-based line of the comment. */
  line: number;
  /** The command's arguments after `mxsim`. */
  args: string[];
  /** The block's lines. */
  lines: string[];
  /** 0-based line index of the block's first line, for rewriting. */
  blockStart: number;
  /** 0-based index one past the block's last line. */
  blockEnd: number;
}

/** Split a shell line into words: single and double quotes, backslash escapes, `#` comments. Throws on an unclosed quote. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        word += line[j];
      }
      if (j >= line.length) throw new Error(`unclosed " in: ${line}`);
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The commands of every ```sh block, in order; `a && b` gives two commands. */
export function readmeCommands(markdown: string): ReadmeCommand[] {
  const lines = markdown.split('\n');
  const commands: ReadmeCommand[] = [];
  let inSh = false;
  let inOther = false;
  lines.forEach((raw, i) => {
    const fence = /^```(\S*)/.exec(raw);
    if (fence) {
      if (inSh || inOther) {
        inSh = inOther = false;
      } else if (fence[1] === 'sh' || fence[1] === 'bash' || fence[1] === 'shell') {
        inSh = true;
      } else {
        inOther = true;
      }
      return;
    }
    if (!inSh) return;
    for (const part of raw.split('&&')) {
      const words = shellWords(part.trim());
      if (words.length === 0) continue;
      const redirect = words.indexOf('>');
      const stdoutTo = redirect >= 0 ? words[redirect + 1] : undefined;
      const command = redirect >= 0 ? words.slice(0, redirect) : words;
      const program = command[0] === 'npx' ? command[1] : command[0];
      const args = command[0] === 'npx' ? command.slice(2) : command.slice(1);
      if (program !== 'mxsim' && program !== 'npm') throw new Error(`README.md:${i + 1}: a sh block runs ${program}, which the README test cannot run: ${raw}`);
      commands.push({ line: i + 1, text: part.trim(), program, args, ...(stdoutTo !== undefined ? { stdoutTo } : {}) });
    }
  });
  return commands;
}

/** The blocks marked `<!-- output of: mxsim ... -->`. */
export function quotedOutputs(markdown: string): QuotedOutput[] {
  const lines = markdown.split('\n');
  const out: QuotedOutput[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^<!-- output of: mxsim (.*) -->$/.exec(lines[i]!);
    if (!m) continue;
    let start = i + 1;
    while (start < lines.length && !lines[start]!.startsWith('```')) start++;
    let end = start + 1;
    while (end < lines.length && !lines[end]!.startsWith('```')) end++;
    if (end >= lines.length) throw new Error(`README.md:${i + 1}: no fenced block after the output comment`);
    out.push({ line: i + 1, args: shellWords(m[1]!), lines: lines.slice(start + 1, end), blockStart: start + 1, blockEnd: end });
  }
  return out;
}

/**
 * Whether `actual` (stdout lines) matches a quoted block: line for line,
 * where a quoted `...` line (any indentation) matches any number of lines.
 * Returns the first quoted line that does not match, or undefined.
 */
export function outputDrift(quoted: readonly string[], actual: readonly string[]): string | undefined {
  const match = (q: number, a: number): boolean => {
    if (q === quoted.length) return a === actual.length;
    if (quoted[q]!.trim() === '...') {
      for (let k = a; k <= actual.length; k++) if (match(q + 1, k)) return true;
      return false;
    }
    return a < actual.length && quoted[q] === actual[a] && match(q + 1, a + 1);
  };
  if (match(0, 0)) return undefined;
  // The first quoted line not found in the output, in order, for the message.
  let a = 0;
  for (const q of quoted) {
    if (q.trim() === '...') continue;
    const k = actual.indexOf(q, a);
    if (k < 0) return q;
    a = k + 1;
  }
  return '(the lines are all there, but not in this order or with other lines between)';
}
