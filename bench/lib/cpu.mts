// CPU time spent by the processes behind a phase of a benchmark: the product and the PostgreSQL
// backends serving a database. Throughput on a shared 2-core machine moves with whatever else runs;
// the CPU an operation costs does not, so it tells a change's effect apart from noise. Linux only
// (/proc), and PostgreSQL must run on this machine; elsewhere every figure is undefined.
import { readFileSync } from 'node:fs';
import pg from 'pg';

/** /proc reports CPU time in USER_HZ ticks, 100 per second on Linux whatever the kernel's own HZ. */
const TICK_MS = 10;

/** User plus system CPU of a process so far, in ms; undefined once it is gone (or off Linux). */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

async function backendPids(adminUrl: string, database: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      [database],
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

export interface CpuSplit {
  /** The database's client backends (planning, execution, triggers, the protocol). */
  databaseMs: number;
  /** The product process, when one was watched. */
  productMs?: number;
}

/**
 * Starts watching; `stop()` returns the CPU spent since. Backends are those connected at the start
 * and at the stop (a pool's connections, opened by its warm-up); one that closes in between takes its
 * share with it, so measure while the pools are open.
 */
export async function watchCpu(adminUrl: string, database: string, productPid?: number): Promise<{ stop(): Promise<CpuSplit | undefined> }> {
  const startedAt = new Map<number, number>();
  for (const pid of await backendPids(adminUrl, database)) {
    const ms = processCpuMs(pid);
    if (ms !== undefined) startedAt.set(pid, ms);
  }
  const productAtStart = productPid === undefined ? undefined : processCpuMs(productPid);
  return {
    async stop() {
      if (startedAt.size === 0) return undefined;
      let databaseMs = 0;
      for (const pid of await backendPids(adminUrl, database)) databaseMs += (processCpuMs(pid) ?? 0) - (startedAt.get(pid) ?? 0);
      const productNow = productPid === undefined ? undefined : processCpuMs(productPid);
      return { databaseMs, productMs: productAtStart === undefined || productNow === undefined ? undefined : productNow - productAtStart };
    },
  };
}
