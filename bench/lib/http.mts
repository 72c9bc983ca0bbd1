// A keep-alive HTTP client for closed-loop load against the product (with `load` from stats.mts):
// exact control over which request goes out, and every latency sample kept for any percentile.
import http from 'node:http';

export interface Response {
  status: number;
  body: string;
}

export interface HttpClient {
  request(method: string, path: string, options?: { token?: string; body?: string; ifMatch?: string }): Promise<Response>;
  close(): void;
}

export function httpClient(baseUrl: string, connections: number): HttpClient {
  // Idle sockets are dropped well before the product's keep-alive timeout (Node's 5 s): otherwise a
  // socket left idle across a pause between phases (the raw baseline runs about that long) can be
  // reused at the instant the server closes it, and the request fails with "socket hang up".
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, timeout: 2500 });
  const { hostname, port } = new URL(baseUrl);
  return {
    request: (method, path, { token, body, ifMatch } = {}) =>
      new Promise((resolve, reject) => {
        const headers: http.OutgoingHttpHeaders = token ? { authorization: `Bearer ${token}` } : {};
        if (ifMatch !== undefined) headers['if-match'] = ifMatch;
        if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        const request = http.request({ agent, hostname, port, method, path, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        });
        request.on('error', reject);
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}
