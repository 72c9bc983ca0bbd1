/** `host:port`, with the brackets an IPv6 host needs. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
