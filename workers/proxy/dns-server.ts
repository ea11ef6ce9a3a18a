/**
 * The cluster DNS server: kubeq's own real UDP listener on the local host (on the port its role is given),
 * answering from dns.ts with the dns-packet codec, so `dig @127.0.0.1 -p <port>` works. A
 * packet that does not decode is dropped; a query without a question gets FORMERR; names
 * outside `cluster.local` get REFUSED (kubeq does not forward: simulated pods have no internet).
 */
import { createSocket, type Socket } from 'node:dgram';
import * as packet from 'dns-packet';
import { CLUSTER_DOMAIN, lookup, TTL, type DnsData, type DnsRecord } from './dns';

const RCODES = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface DnsServer {
  port: number;
  close(): Promise<void>;
}

/** The zone's SOA, sent with NXDOMAIN and empty answers (CoreDNS's shape). */
function soa(): packet.Answer {
  return {
    type: 'SOA',
    name: CLUSTER_DOMAIN,
    ttl: TTL,
    class: 'IN',
    data: { mname: `ns.dns.${CLUSTER_DOMAIN}`, rname: `hostmaster.${CLUSTER_DOMAIN}`, serial: Math.floor(Date.now() / 1000), refresh: 7200, retry: 1800, expire: 86400, minimum: TTL },
  } as packet.Answer;
}

const toAnswer = (r: DnsRecord) => ({ ...r, class: 'IN' }) as packet.Answer;

/** Encodes the reply to one raw query; undefined when the query cannot be read. */
export function answerQuery(data: DnsData, raw: Buffer): Buffer | undefined {
  let query: packet.Packet;
  try {
    query = packet.decode(raw);
  } catch {
    return undefined;
  }
  const rd = (query.flags ?? 0) & packet.RECURSION_DESIRED;
  const [question] = query.questions ?? [];
  const reply = (rcode: number, extra: Partial<packet.Packet> = {}) =>
    packet.encode({ type: 'response', id: query.id, flags: packet.AUTHORITATIVE_ANSWER | rd | rcode, questions: query.questions ?? [], ...extra } as packet.Packet);
  if (!question) return reply(RCODES.FORMERR);
  const answer = lookup(data, question.name, question.type);
  if (answer.rcode === 'REFUSED') return packet.encode({ type: 'response', id: query.id, flags: rd | RCODES.REFUSED, questions: query.questions } as packet.Packet);
  return reply(RCODES[answer.rcode], {
    answers: answer.answers.map(toAnswer),
    additionals: answer.additionals.map(toAnswer),
    ...(answer.answers.length ? {} : { authorities: [soa()] }),
  });
}

/** Listens on `host:port` (0: any free port) and answers from `data`, which is read on every query. */
export function startDnsServer(data: DnsData, host: string, port: number): Promise<DnsServer> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, from) => {
    const reply = answerQuery(data, msg);
    if (reply) socket.send(reply, from.port, from.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', (err) => console.error(`[dns] ${err.message}`));
      resolve({ port: socket.address().port, close: () => new Promise((done) => socket.close(() => done())) });
    });
  });
}
