import type { Product } from './product.mts';

export interface BenchContext {
  /** The product running against the bench database on real PostgreSQL. */
  product: Product;
  database: { name: string; ownerUrl: string; appUrl: string; adminUrl: string };
  /** The test stack's connection variables (e.g. KAFKA_BROKERS) for the services benchmarks declared in `needs`. */
  services: Record<string, string>;
}

export interface BenchResult {
  /** One row per measured configuration; rendered as a table. */
  rows: Array<Record<string, unknown>>;
  /** Throughput relative to the baseline measured in the same run, when the benchmark has one. */
  ratio?: number;
}

export interface Benchmark {
  name: string;
  description: string;
  /** Servers of the test stack beyond PostgreSQL this benchmark uses, e.g. `['kafka']`. */
  needs?: string[];
  run(context: BenchContext): Promise<BenchResult>;
}
