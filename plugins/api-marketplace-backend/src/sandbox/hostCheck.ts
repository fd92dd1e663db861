import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** One resolved address, as `dns.lookup` reports it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a hostname to all of its addresses; injectable for tests. */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface HostCheckOptions {
  /**
   * What the operator allows although it is not public: exact hostnames
   * (`localhost`, `sandbox.internal`), IP addresses (`127.0.0.1`, `::1`)
   * or CIDR ranges (`10.20.0.0/16`, `fd00::/8`). A hostname entry allows
   * that name whatever it resolves to; an address or range allows any
   * host that resolves into it. Empty by default: only public addresses.
   */
  allowPrivate?: string[];
  /** Defaults to `dns.lookup(host, { all: true })`. */
  lookup?: HostLookup;
}

/** A host that passed the check, with the address to connect to. */
export interface CheckedHost {
  /** The hostname as the URL spells it (brackets removed for IPv6). */
  hostname: string;
  /** The address to connect to: pin it for the actual connection. */
  address: string;
  family: 4 | 6;
  /** True when the address is not public and an allow-list entry let it through. */
  allowListed: boolean;
}

/** Ranges that never reach a public service. */
const BLOCKED_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'the "this network" range 0.0.0.0/8'],
  ['10.0.0.0', 8, 'the private range 10.0.0.0/8'],
  ['100.64.0.0', 10, 'the carrier-grade NAT range 100.64.0.0/10'],
  ['127.0.0.0', 8, 'the loopback range 127.0.0.0/8'],
  [
    '169.254.0.0',
    16,
    'the link-local range 169.254.0.0/16 (cloud metadata lives here)',
  ],
  ['172.16.0.0', 12, 'the private range 172.16.0.0/12'],
  ['192.0.0.0', 24, 'the IETF protocol range 192.0.0.0/24'],
  ['192.0.2.0', 24, 'the documentation range 192.0.2.0/24'],
  ['192.88.99.0', 24, 'the 6to4 relay range 192.88.99.0/24'],
  ['192.168.0.0', 16, 'the private range 192.168.0.0/16'],
  ['198.18.0.0', 15, 'the benchmarking range 198.18.0.0/15'],
  ['198.51.100.0', 24, 'the documentation range 198.51.100.0/24'],
  ['203.0.113.0', 24, 'the documentation range 203.0.113.0/24'],
  ['224.0.0.0', 4, 'the multicast range 224.0.0.0/4'],
  ['240.0.0.0', 4, 'the reserved range 240.0.0.0/4'],
];

const BLOCKED_V6: Array<[string, number, string]> = [
  ['::', 128, 'the unspecified address ::'],
  ['::1', 128, 'the loopback address ::1'],
  ['100::', 64, 'the discard range 100::/64'],
  ['2001:db8::', 32, 'the documentation range 2001:db8::/32'],
  ['fc00::', 7, 'the unique-local range fc00::/7'],
  ['fe80::', 10, 'the link-local range fe80::/10'],
  ['fec0::', 10, 'the site-local range fec0::/10'],
  ['ff00::', 8, 'the multicast range ff00::/8'],
];

interface BlockedRange {
  list: BlockList;
  family: 'ipv4' | 'ipv6';
  label: string;
}

function rangesOf(
  family: 'ipv4' | 'ipv6',
  table: Array<[string, number, string]>,
): BlockedRange[] {
  return table.map(([net, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, family);
    return { list, family, label };
  });
}

const blockedRanges: BlockedRange[] = [
  ...rangesOf('ipv4', BLOCKED_V4),
  ...rangesOf('ipv6', BLOCKED_V6),
];

/** Expands an IPv6 address (no brackets, no zone) to eight 16-bit groups. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const octets = dotted[2].split('.').map(Number);
    if (octets.some(o => o > 255)) return undefined;
    text = `${dotted[1]}${((octets[0] << 8) | octets[1]).toString(16)}:${(
      (octets[2] << 8) |
      octets[3]
    ).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map(g => parseInt(g, 16));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 && missing !== 0) return undefined;
  if (missing < 0) return undefined;
  const groups = [...head, ...new Array(missing).fill(0), ...tail];
  if (groups.some(g => Number.isNaN(g) || g < 0 || g > 0xffff))
    return undefined;
  return groups;
}

function v4FromGroups(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The IPv4 address an IPv6 address carries, for the forms that reach it:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), IPv4-translated
 * (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
 */
export function embeddedIPv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const zeros = (from: number, to: number) =>
    g.slice(from, to).every(x => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4FromGroups(g[6], g[7]);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0)
    return v4FromGroups(g[6], g[7]);
  if (zeros(0, 6) && (g[6] !== 0 || g[7] > 1)) return v4FromGroups(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6))
    return v4FromGroups(g[6], g[7]);
  if (g[0] === 0x2002) return v4FromGroups(g[1], g[2]);
  return undefined;
}

/**
 * Why an address is not public, or undefined when it is. Handles IPv4,
 * IPv6 and every IPv6 form that embeds an IPv4 address.
 */
export function nonPublicReason(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return `'${address}' is not an IP address`;
  if (family === 4) {
    const hit = blockedRanges.find(
      r => r.family === 'ipv4' && r.list.check(bare, 'ipv4'),
    );
    if (hit) return `${bare} is in ${hit.label}`;
    if (bare === '255.255.255.255') return `${bare} is the broadcast address`;
    return undefined;
  }
  const v4 = embeddedIPv4(bare);
  if (v4) {
    const inner = nonPublicReason(v4);
    if (inner) return `${bare} embeds ${v4}, and ${inner}`;
  }
  const hit = blockedRanges.find(
    r => r.family === 'ipv6' && r.list.check(bare, 'ipv6'),
  );
  return hit ? `${bare} is in ${hit.label}` : undefined;
}

interface AllowList {
  hostnames: Set<string>;
  addresses: BlockList;
}

function parseAllowList(entries: string[] = []): AllowList {
  const hostnames = new Set<string>();
  const addresses = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const [addressPart, prefixPart] = entry.split('/');
    const address = addressPart.replace(/^\[|\]$/g, '');
    const family = isIP(address);
    if (family === 0) {
      if (prefixPart !== undefined || !/^[a-z0-9.-]+$/.test(entry)) {
        throw new InputError(
          `sandbox allow-list entry '${raw}' is neither a hostname, an IP address nor a CIDR range`,
        );
      }
      hostnames.add(entry.replace(/\.$/, ''));
      continue;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixPart === undefined) {
      addresses.addAddress(address, type);
      continue;
    }
    const prefix = Number(prefixPart);
    if (
      !/^\d+$/.test(prefixPart) ||
      prefix < 0 ||
      prefix > (family === 4 ? 32 : 128)
    ) {
      throw new InputError(
        `sandbox allow-list entry '${raw}' has an invalid prefix length`,
      );
    }
    addresses.addSubnet(address, prefix, type);
  }
  return { hostnames, addresses };
}

function addressAllowed(list: AllowList, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (list.addresses.check(address, family === 4 ? 'ipv4' : 'ipv6'))
    return true;
  const v4 = family === 6 ? embeddedIPv4(address) : undefined;
  return v4 ? list.addresses.check(v4, 'ipv4') : false;
}

const defaultLookup: HostLookup = async hostname => {
  const results = await dnsLookup(hostname, { all: true, verbatim: true });
  return results.map(r => ({
    address: r.address,
    family: r.family === 6 ? 6 : 4,
  }));
};

/**
 * Resolves the host of `url` and refuses it unless every address it resolves
 * to is public or allow-listed. Returns the address to pin for the actual
 * connection, so a second DNS answer (DNS rebinding) is never used.
 *
 * Decimal, octal and hex IPv4 spellings (`2130706433`, `0177.0.0.1`,
 * `0x7f.1`) are normalised by the WHATWG URL parser before the check.
 *
 * @throws InputError when the URL is not http(s) or has no host
 * @throws NotAllowedError when the host is private, loopback, link-local,
 *   metadata or otherwise not public, and not allow-listed
 * @throws ServiceUnavailableError when the host does not resolve
 */
export async function resolveAndCheckHost(
  url: string | URL,
  options: HostCheckOptions = {},
): Promise<CheckedHost> {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw new InputError(`'${String(url)}' is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InputError(
      `sandbox URLs must use http or https, not ${parsed.protocol}`,
    );
  }
  const hostname = parsed.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (!hostname) throw new InputError(`'${parsed.href}' has no host`);
  const allow = parseAllowList(options.allowPrivate);
  const hostnameAllowed = allow.hostnames.has(hostname);

  let addresses: ResolvedAddress[];
  const literal = isIP(hostname);
  if (literal) {
    addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.lookup ?? defaultLookup)(hostname);
    } catch (error) {
      throw new ServiceUnavailableError(
        `sandbox host '${hostname}' could not be resolved: ${
          (error as Error).message
        }`,
      );
    }
    if (!addresses.length) {
      throw new ServiceUnavailableError(
        `sandbox host '${hostname}' has no addresses`,
      );
    }
  }

  let allowListed = false;
  for (const { address } of addresses) {
    if (isIP(address) === 0) {
      throw new ServiceUnavailableError(
        `sandbox host '${hostname}' resolved to '${address}', which is not an IP address`,
      );
    }
    const reason = nonPublicReason(address);
    if (!reason) continue;
    if (hostnameAllowed || addressAllowed(allow, address)) {
      allowListed = true;
      continue;
    }
    // Every address must pass: a resolver that mixes one public and one
    // private answer must not get the private one used by a later lookup.
    throw new NotAllowedError(
      `sandbox host '${hostname}' is not allowed: ${reason}. ` +
        `An operator can allow it with an allow-list entry for the host or its range.`,
    );
  }
  const pinned = addresses[0];
  return {
    hostname,
    address: pinned.address,
    family: pinned.family,
    allowListed,
  };
}
