import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { ERLANG_VM } from "./process-cpu.js";

/**
 * Which process of this machine serves a url target's CouchDB: the one holding the socket that
 * listens on the url's port, found from Linux's /proc (proc(5): /proc/net/tcp and tcp6 give each
 * socket's inode; /proc/<pid>/fd links to `socket:[inode]`). With it, a url target's CouchDB is
 * measured as a local one is: its process tree's CPU and memory, and the machine's other load
 * told apart from CouchDB's (bench/cost/machine-load.ts).
 */

/** A TCP socket in the LISTEN state. */
export interface ListeningSocket {
  /** As a URL writes it: `127.0.0.1`, `::1`, `0.0.0.0`, `::` (an IPv4-mapped IPv6 address as IPv4). */
  address: string;
  port: number;
  inode: number;
}

/** The `st` column's value for LISTEN (include/net/tcp_states.h). */
const TCP_LISTEN = "0A";

/**
 * The listening sockets of a /proc/net/tcp or /proc/net/tcp6 text. Addresses are 32-bit words in
 * the kernel's byte order, each printed as hex: reversed bytes on a little-endian machine.
 */
export function parseListeningSockets(text: string, littleEndian = true): ListeningSocket[] {
  return text.split("\n").flatMap((line) => {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
    const fields = line.trim().split(/\s+/);
    const [local, state, inodeText] = [fields[1], fields[3], fields[9]];
    const match = local && /^([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4})$/i.exec(local);
    if (!match || state !== TCP_LISTEN) return [];
    const inode = Number(inodeText);
    if (!Number.isInteger(inode) || inode <= 0) return [];
    return [{ address: decodeAddress(match[1]!, littleEndian), port: parseInt(match[2]!, 16), inode }];
  });
}

function decodeAddress(hex: string, littleEndian: boolean): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => {
    const wordBytes = (word.match(/../g) ?? []).map((pair) => parseInt(pair, 16));
    return littleEndian ? wordBytes.reverse() : wordBytes;
  });
  const mappedIpv4 = bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff;
  if (bytes.length === 4 || mappedIpv4) return bytes.slice(-4).join(".");
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // The WHATWG URL parser writes IPv6 in its canonical short form (RFC 5952), as a url's host is written.
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}

/** An address a url's host names on this machine; `machineAddresses` are its interfaces' (os.networkInterfaces). */
export function localAddresses(hostname: string, machineAddresses: readonly string[]): string[] | undefined {
  const host = hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (host === "localhost") return ["127.0.0.1", "::1"];
  if (/^127\.\d+\.\d+\.\d+$/.test(host) || host === "::1" || machineAddresses.includes(host)) return [host];
  return undefined;
}

/** Inodes of the sockets listening on `port` at one of `addresses`, or on every address. */
export function listenerInodes(
  sockets: readonly ListeningSocket[],
  port: number,
  addresses: readonly string[],
): number[] {
  const any = ["0.0.0.0", "::"];
  return sockets
    .filter((s) => s.port === port && (any.includes(s.address) || addresses.includes(s.address)))
    .map((s) => s.inode);
}

/** The inode of a /proc/<pid>/fd link to a socket (`socket:[849299]`). */
export function socketInode(link: string): number | undefined {
  const match = /^socket:\[(\d+)\]$/.exec(link);
  return match ? Number(match[1]) : undefined;
}

/** A process holding a listening socket: its pid and command name (/proc/<pid>/comm). */
export interface SocketOwner {
  pid: number;
  name: string;
}

/** The pid of the Erlang VM serving a url, or why none is measured. */
export type CouchVm = { pid: number; reason?: undefined } | { pid?: undefined; reason: string };

/**
 * The Erlang VM among the listening socket's owners, or why there is none to measure: no owner
 * seen (another network or PID namespace, or no permission to read the fds), or a process that only
 * forwards the port (docker-proxy for a container's published port).
 */
export function couchVmOwner(owners: readonly SocketOwner[], where: string): CouchVm {
  const vms = [...new Set(owners.filter((o) => o.name === ERLANG_VM).map((o) => o.pid))];
  if (vms.length === 1) return { pid: vms[0]! };
  if (vms.length > 1) return { reason: `${vms.length} Erlang VMs hold the socket listening on ${where}` };
  if (owners.length === 0) return { reason: `no process of this machine's /proc is seen listening on ${where}` };
  const names = [...new Set(owners.map((o) => o.name))].join(", ");
  return { reason: `${where} is served by ${names} on this machine, not by CouchDB's Erlang VM` };
}

/**
 * The Erlang VM serving `url` on this machine, or why it is not measured. Reads /proc (every
 * process's fd links, once per target start); any failure to read is a reason, never an error.
 */
export function findCouchVm(url: string, procDir = "/proc"): CouchVm {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  const machineAddresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  const addresses = localAddresses(parsed.hostname, machineAddresses);
  if (!addresses) return { reason: `its host ${parsed.hostname} is not an address of this machine` };
  const where = `${parsed.hostname}:${port}`;
  const sockets = ["tcp", "tcp6"].flatMap((file) => {
    try {
      return parseListeningSockets(readFileSync(`${procDir}/net/${file}`, "utf8"));
    } catch {
      return [];
    }
  });
  const inodes = new Set(listenerInodes(sockets, port, addresses));
  return couchVmOwner(inodes.size ? socketOwners(inodes, procDir) : [], where);
}

function socketOwners(inodes: ReadonlySet<number>, procDir: string): SocketOwner[] {
  const owners: SocketOwner[] = [];
  for (const pid of readdirOrEmpty(procDir).filter((name) => /^\d+$/.test(name))) {
    const holds = readdirOrEmpty(`${procDir}/${pid}/fd`).some((fd) => {
      try {
        const inode = socketInode(readlinkSync(`${procDir}/${pid}/fd/${fd}`));
        return inode !== undefined && inodes.has(inode);
      } catch {
        return false; // closed since readdir
      }
    });
    if (!holds) continue;
    try {
      owners.push({ pid: Number(pid), name: readFileSync(`${procDir}/${pid}/comm`, "utf8").trim() });
    } catch {
      // gone since
    }
  }
  return owners;
}

/** A directory's entries; none where it cannot be read (another user's /proc/<pid>/fd, a process gone). */
function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
