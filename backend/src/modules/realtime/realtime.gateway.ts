import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../platform/logging';
import type { VerifiedAccess } from '../auth';

const REALTIME_PATH = '/api/v1/ws';
/** The subprotocol clients ask for; the access token rides along as a second one, `bearer.<token>` (browsers cannot set headers on a WebSocket). */
const PROTOCOL = 'spendcast.v1';
const BEARER = 'bearer.';

/** Close codes a client can act on (4000–4999 are the application's own). */
const CLOSE_CODES = { tokenExpired: 4001, tokenRefused: 4003, tooSlow: 4008, shuttingDown: 1001 } as const;

interface GatewayOptions {
  heartbeatMs: number;
  /** Bytes queued for a client beyond which it is disconnected rather than slowing the rest down. */
  maxBufferedBytes: number;
}

interface Client {
  socket: WebSocket;
  userId: string;
  alive: boolean;
  expiry: NodeJS.Timeout;
}

/**
 * The WebSocket endpoint: authenticates the upgrade with an access token, keeps a socket per
 * signed-in client, closes it when its token expires (unless the client sends a fresher one as
 * `{"type":"auth","token":…}`), pings to find dead peers, and drops clients that cannot keep up.
 */
export class RealtimeGateway {
  private readonly server = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false) });
  private readonly clients = new Map<string, Set<Client>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly verify: (token: string) => Promise<VerifiedAccess>,
    private readonly logger: Logger,
    private readonly options: GatewayOptions,
  ) {
    this.heartbeat = setInterval(() => this.ping(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Takes over WebSocket upgrades of `/api/v1/ws` on the HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(request, socket, head));
  }

  /** Users with at least one open socket on this replica. */
  connectedUsers(): Set<string> {
    return new Set(this.clients.keys());
  }

  send(userIds: Iterable<string>, message: object): void {
    const text = JSON.stringify(message);
    for (const userId of userIds) {
      for (const client of this.clients.get(userId) ?? []) {
        if (client.socket.bufferedAmount > this.options.maxBufferedBytes) {
          client.socket.close(CLOSE_CODES.tooSlow, 'the client is not reading its messages');
          continue;
        }
        client.socket.send(text);
      }
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const clients of this.clients.values()) for (const client of clients) client.socket.close(CLOSE_CODES.shuttingDown, 'server shutting down');
    this.server.close();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== REALTIME_PATH) return void socket.destroy();
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((value) => value.trim());
    const token = offered.find((value) => value.startsWith(BEARER))?.slice(BEARER.length);
    const access = token ? await this.verify(token).catch(() => undefined) : undefined;
    if (!access || !offered.includes(PROTOCOL)) {
      socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nOffer the subprotocols "${PROTOCOL}" and "${BEARER}<access token>" with a valid token.\n`);
      return;
    }
    this.server.handleUpgrade(request, socket, head, (webSocket) => this.register(webSocket, access));
  }

  private register(socket: WebSocket, access: VerifiedAccess): void {
    const client: Client = { socket, userId: access.userId, alive: true, expiry: this.expireAt(socket, access.expiresAtMs) };
    const mine = this.clients.get(client.userId) ?? new Set<Client>();
    mine.add(client);
    this.clients.set(client.userId, mine);
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data) => void this.receive(client, (data as Buffer).toString('utf8')));
    socket.on('error', (error) => this.logger.debug({ err: error }, 'WebSocket error'));
    socket.on('close', () => {
      clearTimeout(client.expiry);
      mine.delete(client);
      if (mine.size === 0) this.clients.delete(client.userId);
    });
    socket.send(JSON.stringify({ type: 'ready', userId: client.userId }));
  }

  private expireAt(socket: WebSocket, expiresAtMs: number): NodeJS.Timeout {
    return setTimeout(() => socket.close(CLOSE_CODES.tokenExpired, 'access token expired; reconnect with a fresh one'), Math.max(0, expiresAtMs - Date.now()));
  }

  /** The only message clients send: a fresher access token for the same user. */
  private async receive(client: Client, text: string): Promise<void> {
    let message: { type?: unknown; token?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.type !== 'auth' || typeof message.token !== 'string') return;
    const access = await this.verify(message.token).catch(() => undefined);
    if (!access || access.userId !== client.userId) return client.socket.close(CLOSE_CODES.tokenRefused, 'that token is not valid for this connection');
    clearTimeout(client.expiry);
    client.expiry = this.expireAt(client.socket, access.expiresAtMs);
  }

  private ping(): void {
    for (const clients of this.clients.values()) {
      for (const client of clients) {
        if (!client.alive) {
          client.socket.terminate();
          continue;
        }
        client.alive = false;
        client.socket.ping();
      }
    }
  }
}
