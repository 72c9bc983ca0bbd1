import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from './app';
import { loadConfig } from './platform/config';
import { LocalBlobStore } from './platform/blob';
import { EventBus } from './platform/bus';
import { MemoryCache } from './platform/cache';
import { createDataSource, UnitOfWork } from './platform/database';
import { createLogger } from './platform/logging';
import { InboxMailer } from './platform/mail';
import { Metrics } from './platform/metrics';
import { unconfiguredMlClient } from './platform/ml';
import { prepareAuthMaterial } from './modules/auth';
import { entities, migrations } from './schema';

/**
 * The OpenAPI document, built from the same route declarations the server mounts. Nothing is
 * connected: the dependencies are constructed but never called, so this needs no services.
 */
export async function describeApi() {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'spendcast-api-document-')) });
  const offline = 'postgres://offline@127.0.0.1/offline';
  const dataSource = createDataSource({ url: offline, poolSize: 1, entities, migrations });
  const logger = createLogger('silent');
  const metrics = new Metrics();
  const { openapi } = buildApp({
    config,
    logger,
    metrics,
    bus: EventBus.open({ ownerUrl: offline, relay: { ...config.events.relay, enabled: false }, listenForNotifications: false }, logger, metrics.registry),
    dataSource,
    transactions: new UnitOfWork(dataSource),
    cache: new MemoryCache(),
    blobs: new LocalBlobStore(config.dataDir),
    mailer: new InboxMailer(config.dataDir, config.mail.from),
    auth: await prepareAuthMaterial(config.auth),
    ml: unconfiguredMlClient,
  });
  return openapi;
}

export const API_DOCUMENT_PATH = path.resolve(__dirname, '..', 'openapi.json');

export async function renderApiDocument(): Promise<string> {
  return `${JSON.stringify(await describeApi(), null, 2)}\n`;
}
