import { SignJWT } from 'jose';
import request from 'supertest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';

interface Received {
  messages: Array<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
  socket: WebSocket;
}

describe(`real-time updates over WebSocket (${flavor})`, () => {
  let product: TestApp;
  let url: string;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    product = await startTestApp();
    url = (await product.listen()).replace('http', 'ws') + '/api/v1/ws';
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.terminate()));
  afterAll(() => product.close());

  /** Connects as the user and resolves once the server said it is ready. */
  async function connect(token: string): Promise<Received> {
    const socket = new WebSocket(url, ['spendcast.v1', `bearer.${token}`]);
    sockets.push(socket);
    const messages: Array<Record<string, unknown>> = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
        if (message.type === 'ready') resolve();
        else messages.push(message);
      });
      socket.on('error', reject);
    });
    return { messages, closed, socket };
  }

  const waitFor = async (check: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return check();
  };

  async function groupWithMember(membersSeeAllBills: boolean) {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Flat');
    await request(product.app).patch(`/api/v1/groups/${groupId}`).set(bearer(admin)).send({ membersSeeAllBills }).expect(200);
    const peer = await given(product.app).member(admin, groupId);
    return { admin, member, peer, groupId };
  }

  it("delivers a member's new bill to the group's admin within a second, and not to a peer when the group hides bills", async () => {
    const { admin, member, peer, groupId } = await groupWithMember(false);
    const [adminSocket, peerSocket, memberSocket] = await Promise.all([connect(admin.accessToken), connect(peer.accessToken), connect(member.accessToken)]);

    const started = Date.now();
    const bill = await given(product.app).bill(member, { groupId, title: 'Paint', amount: '42.50' });

    expect(await waitFor(() => adminSocket.messages.length > 0, 1000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(adminSocket.messages[0]).toMatchObject({ type: 'bill.created', groupId, bill: { id: bill.id, title: 'Paint', amount: '42.50', createdBy: member.id } });
    expect(await waitFor(() => memberSocket.messages.length > 0, 1000)).toBe(true);
    // Give a wrongly addressed message every chance to arrive before concluding it does not.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(peerSocket.messages).toEqual([]);
  });

  it('delivers to every member when the group lets members see each other’s bills', async () => {
    const { member, peer, groupId } = await groupWithMember(true);
    const peerSocket = await connect(peer.accessToken);

    const bill = await given(product.app).bill(member, { groupId });

    expect(await waitFor(() => peerSocket.messages.length > 0, 1000)).toBe(true);
    expect(peerSocket.messages[0]).toMatchObject({ type: 'bill.created', bill: { id: bill.id } });
  });

  it('sends a personal bill to its owner only', async () => {
    const [owner, other] = [await given(product.app).user(), await given(product.app).user()];
    const [ownerSocket, otherSocket] = await Promise.all([connect(owner.accessToken), connect(other.accessToken)]);

    const bill = await given(product.app).bill(owner);

    expect(await waitFor(() => ownerSocket.messages.some((message) => message.type === 'bill.created'), 1000)).toBe(true);
    expect(ownerSocket.messages[0]).toMatchObject({ bill: { id: bill.id, groupId: null } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(otherSocket.messages).toEqual([]);
  });

  it('refuses an upgrade without a valid token with 401', async () => {
    for (const protocols of [['spendcast.v1'], ['spendcast.v1', 'bearer.not-a-token']]) {
      const socket = new WebSocket(url, protocols);
      // The refused handshake also surfaces as an error event; the status is what this test reads.
      socket.on('error', () => undefined);
      const status = await new Promise<number | undefined>((resolve) => {
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode));
        socket.on('open', () => resolve(undefined));
      });
      expect(status).toBe(401);
    }
  });

  it('closes the socket with 4001 when the access token expires', async () => {
    const user: GivenUser = await given(product.app).user();
    const short = await shortLivedToken(user.id, 2);
    const { closed } = await connect(short);

    const { code } = await closed;

    expect(code).toBe(4001);
  });

  /** A token signed with the product's own key that expires in `seconds`. */
  async function shortLivedToken(userId: string, seconds: number): Promise<string> {
    const { privateKey, publicJwk } = product.runtime.auth.signingKey;
    return new SignJWT({ onb: true })
      .setProtectedHeader({ alg: 'EdDSA', kid: String(publicJwk.kid), typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(product.runtime.config.auth.issuer)
      .setAudience('spendcast-api')
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
      .sign(privateKey);
  }
});
