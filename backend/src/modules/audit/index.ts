import { AuditLogEntity } from './audit.entity';
import { CreateAuditLogs1795561620000 } from './migrations/1795561620000-CreateAuditLogs';

export { AuditLogEntity, type AuditChanges } from './audit.entity';
export { AuditRepository } from './audit.repository';
export { registerAuditRoutes } from './audit.routes';
export { AuditService, type GroupRoles } from './audit.service';
export const auditEntities = [AuditLogEntity];
export const auditMigrations = [CreateAuditLogs1795561620000];
