// A tasks file's bytes → its text, or the one line that says why it cannot be read as YAML. A
// latin-1 file otherwise decodes with U+FFFD in place of each accent and validates "ok" while its
// comments would be sent garbled; a binary file otherwise prints hundreds of YAML errors.

export type FileText = { text: string } | { problem: string };

export function decodeTasksFile(bytes: Uint8Array): FileText {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { problem: `is a binary file (a NUL byte at offset ${nul}), not a YAML tasks file` };
  try {
    // A UTF-8 byte order mark is dropped, as editors write it.
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = 1 + bytes.subarray(0, at).filter((b) => b === 0x0a).length;
    return { problem: `is not UTF-8 text (an invalid byte at line ${line}, e.g. latin-1): save it as UTF-8` };
  }
}

/** Offset of the first byte that does not continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, by bisection: decoding a prefix that cuts a sequence fails too, so
  // the answer is at most 3 bytes early, which only matters for the line number.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      decoder.decode(bytes.subarray(0, mid));
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}
