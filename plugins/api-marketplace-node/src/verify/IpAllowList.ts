import { BlockList, isIP } from 'node:net';

const PREFIX = /^\d{1,3}$/;
const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** `::ffff:1.2.3.4` (dual-stack sockets) is the IPv4 address it wraps. */
export function normalizeIp(address: string): string {
  const zone = address.indexOf('%');
  const bare = zone >= 0 ? address.slice(0, zone) : address;
  const mapped = MAPPED_V4.exec(bare);
  return mapped ? mapped[1] : bare;
}

/**
 * A key's allowed IPs and CIDRs, compiled once per cached key. Entries that
 * do not parse are ignored, which can only narrow the list (fail closed).
 */
export class IpAllowList {
  private readonly list = new BlockList();

  private constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const slash = entry.indexOf('/');
      const address = normalizeIp(slash < 0 ? entry : entry.slice(0, slash));
      const family = isIP(address);
      if (family === 0) continue;
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (slash < 0) {
        this.list.addAddress(address, type);
        continue;
      }
      const prefixText = entry.slice(slash + 1);
      const prefix = Number(prefixText);
      if (PREFIX.test(prefixText) && prefix <= (family === 4 ? 32 : 128)) {
        this.list.addSubnet(address, prefix, type);
      }
    }
  }

  /** Undefined when the list is empty: any address may call. */
  static compile(entries: readonly string[]): IpAllowList | undefined {
    return entries.length === 0 ? undefined : new IpAllowList(entries);
  }

  allows(address: string | undefined): boolean {
    if (!address) return false;
    const ip = normalizeIp(address);
    const family = isIP(ip);
    if (family === 0) return false;
    return this.list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  }
}
