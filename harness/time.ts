// Time helpers shared by tests and bench: no imports, so emulator tests can use them too.

/** Milliseconds since the epoch → the API's time format (`YYYY-MM-DDTHH:MM:SSZ`, seconds truncated). */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
