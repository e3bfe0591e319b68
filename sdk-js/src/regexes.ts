/**
 * `$regex`/`$regexi` bounds, the same constants as the Java evaluator's (docs/decisions.md §17):
 * they are part of the evaluation function, so server and SDK agree on which patterns and values
 * can match. Patterns are compiled with the platform's RegExp; what RE2 cannot do (lookaround,
 * backreferences) is refused here too, as the server refuses it.
 */
export const MAX_PATTERN_CHARS = 1024;
export const MAX_EXPANDED_SIZE = 1024;
export const MAX_SUBJECT_CHARS = 8192;

const CAP = Number.MAX_SAFE_INTEGER;

export class Refused extends Error {}

const BACKTRACKING = /\(\?<?[=!]|\\[1-9]|\\k</;

export function compileRegex(pattern: string, ignoreCase: boolean): RegExp {
  if (pattern.length > MAX_PATTERN_CHARS) {
    throw new Refused(
      `a regular expression may have at most ${MAX_PATTERN_CHARS} characters, this one has ${pattern.length}`,
    );
  }
  if (repetitionSize(pattern) > MAX_EXPANDED_SIZE) {
    throw new Refused(
      `the regular expression's repetitions expand to more than ${MAX_EXPANDED_SIZE} elements; use fewer or smaller {n,m} counts`,
    );
  }
  if (BACKTRACKING.test(pattern)) {
    throw new Refused("invalid regular expression (lookaround and backreferences are not supported)");
  }
  try {
    return new RegExp(pattern, ignoreCase ? "i" : "");
  } catch (e) {
    throw new Refused("invalid regular expression: " + (e as Error).message);
  }
}

/** `RegExp.test`: a search anywhere; too long a value does not match. */
export function find(re: RegExp, subject: string): boolean {
  return subject.length <= MAX_SUBJECT_CHARS && re.test(subject);
}

const add = (a: number, b: number) => Math.min(CAP, a + b);
const multiply = (a: number, b: number) => (a > CAP / b ? CAP : a * b);

/** An upper estimate of the pattern's size once counted repetitions are expanded. */
export function repetitionSize(p: string): number {
  let i = 0;
  const isDigit = (c: string) => c >= "0" && c <= "9";

  function alternation(): number {
    let size = sequence();
    while (i < p.length && p[i] === "|") {
      i++;
      size = add(size, sequence());
    }
    return size;
  }
  function sequence(): number {
    let size = 0;
    while (i < p.length && p[i] !== "|" && p[i] !== ")") {
      size = add(size, quantified(atom()));
    }
    return size;
  }
  function atom(): number {
    const c = p[i++];
    switch (c) {
      case "(": {
        if (i < p.length && p[i] === "?") skipGroupFlags();
        const inner = alternation();
        if (i < p.length) i++;
        return Math.max(inner, 1);
      }
      case "[":
        skipClass();
        return 1;
      case "\\":
        skipEscape();
        return 1;
      default:
        return 1;
    }
  }
  function skipGroupFlags(): void {
    while (i < p.length) {
      const c = p[i];
      if (c === ":" || c === ">") {
        i++;
        return;
      }
      if (c === ")") return;
      i++;
    }
  }
  function skipClass(): void {
    if (i < p.length && p[i] === "^") i++;
    if (i < p.length && p[i] === "]") i++;
    while (i < p.length && p[i] !== "]") {
      if (p[i] === "\\") i++;
      i++;
    }
    i++;
  }
  function skipEscape(): void {
    if (i >= p.length) return;
    const c = p[i++];
    if ((c === "p" || c === "P" || c === "x") && i < p.length && p[i] === "{") {
      const close = p.indexOf("}", i);
      i = close < 0 ? p.length : close + 1;
    }
  }
  function quantified(atomSize: number): number {
    let size = atomSize;
    while (i < p.length) {
      const c = p[i];
      if (c === "*" || c === "+" || c === "?") {
        i++;
      } else if (c === "{") {
        const copies = counted();
        if (copies < 0) return size;
        size = multiply(size, copies);
      } else {
        return size;
      }
    }
    return size;
  }
  function counted(): number {
    let j = i + 1;
    let min = 0;
    let digits = 0;
    while (j < p.length && isDigit(p[j]) && digits < 9) {
      min = min * 10 + (p.charCodeAt(j++) - 48);
      digits++;
    }
    if (digits === 0 || j >= p.length) return -1;
    let max = min;
    if (p[j] === ",") {
      j++;
      max = min + 1;
      let bound = 0;
      let maxDigits = 0;
      while (j < p.length && isDigit(p[j]) && maxDigits < 9) {
        bound = bound * 10 + (p.charCodeAt(j++) - 48);
        maxDigits++;
      }
      if (maxDigits > 0) max = bound;
    }
    if (j >= p.length || p[j] !== "}") return -1;
    i = j + 1;
    return Math.max(max, 1);
  }

  let size = 0;
  while (i < p.length) {
    size = add(size, alternation());
    i++;
  }
  return size;
}
