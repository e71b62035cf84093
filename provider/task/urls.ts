// URL facts used by the rules: scheme, host, private networks, file extension.
// WHATWG URL parsing is used for every scheme; for non-special schemes (rtmp, srt, ...) it keeps
// the host as written, which is what we need to look at.

export interface ParsedUrl {
  scheme: string; // lower case, without ':'
  host: string; // lower case, IPv6 without brackets
  path: string;
}

export function parseUrl(text: string): ParsedUrl | null {
  // WHATWG URL parsing percent-encodes spaces silently; the API refuses such a URL.
  if (/\s/.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const scheme = url.protocol.replace(/:$/, "").toLowerCase();
  let host = url.hostname.toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  // rtmp:///live/x parses (non-special schemes may lack a host) but names no server.
  if (host === "") return null;
  return { scheme, host, path: url.pathname };
}

/** Extension of the last path segment, lower case without the dot ("" when it has none). */
export function extensionOf(path: string): string {
  const last = path.slice(path.lastIndexOf("/") + 1);
  const dot = last.lastIndexOf(".");
  return dot > 0 ? last.slice(dot + 1).toLowerCase() : "";
}

function ipv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4) return null;
  const nums = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return nums.every((n) => n >= 0 && n <= 255) ? nums : null;
}

function privateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 || // loopback
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT (shared address space)
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

function privateIpv6(host: string): boolean {
  if (!host.includes(":")) return false;
  const h = host.toLowerCase();
  if (h === "::1" || h === "::") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) {
    const v4 = ipv4(mapped[1]);
    return v4 !== null && privateIpv4(v4);
  }
  // WHATWG URL writes IPv4-mapped addresses in hex: ::ffff:a00:1 for 10.0.0.1.
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mappedHex) {
    const hi = parseInt(mappedHex[1], 16);
    const lo = parseInt(mappedHex[2], 16);
    return privateIpv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  const first = parseInt(h.split(":")[0] || "0", 16);
  return (first & 0xfe00) === 0xfc00 /* ULA fc00::/7 */ || (first & 0xffc0) === 0xfe80; /* link-local fe80::/10 */
}

/** Why a host is on a private network ("loopback", ...), or null when it is public as far as we can tell offline. */
export function privateHostReason(host: string): string | null {
  if (host === "localhost" || host.endsWith(".localhost")) return "localhost";
  const v4 = ipv4(host);
  if (v4) return privateIpv4(v4) ? "a private, loopback or link-local IPv4 address" : null;
  if (privateIpv6(host)) return "a loopback, unique-local or link-local IPv6 address";
  return null;
}
