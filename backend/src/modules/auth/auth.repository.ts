import type { UnitOfWork } from '../../platform/database';
import { PasswordCredentialEntity, RecoveryCodeEntity, RefreshTokenEntity, TotpCredentialEntity } from './auth.entity';

/** Credentials and sessions of the user the surrounding unit of work acts for. */
export class AuthRepository {
  constructor(private readonly transactions: UnitOfWork) {}

  private repository<T extends object>(entity: new () => T) {
    return this.transactions.manager().getRepository(entity);
  }

  async savePassword(userId: string, passwordHash: string): Promise<void> {
    await this.repository(PasswordCredentialEntity).upsert({ userId, passwordHash }, ['userId']);
  }

  async passwordHash(userId: string): Promise<string | undefined> {
    return (await this.repository(PasswordCredentialEntity).findOneBy({ userId }))?.passwordHash;
  }

  totp(userId: string): Promise<TotpCredentialEntity | null> {
    return this.repository(TotpCredentialEntity).findOneBy({ userId });
  }

  /** Starts (or restarts) setup with a new secret that counts only after `enableTotp`. */
  async savePendingTotp(userId: string, secretEncrypted: string): Promise<void> {
    await this.repository(TotpCredentialEntity).upsert({ userId, secretEncrypted, enabledAt: null, lastUsedStep: null }, ['userId']);
  }

  async enableTotp(userId: string): Promise<void> {
    await this.repository(TotpCredentialEntity).update({ userId }, { enabledAt: new Date() });
  }

  async deleteTotp(userId: string): Promise<void> {
    await this.repository(TotpCredentialEntity).delete({ userId });
    await this.repository(RecoveryCodeEntity).delete({ userId });
  }

  /**
   * Records the time step of an accepted code, atomically: false when that step (or a later one)
   * was accepted before, so the same code never works twice, even for two requests at once.
   */
  async claimTotpStep(userId: string, step: number): Promise<boolean> {
    const result = await this.repository(TotpCredentialEntity)
      .createQueryBuilder()
      .update()
      .set({ lastUsedStep: String(step) })
      .where('user_id = :userId AND (last_used_step IS NULL OR last_used_step < :step)', { userId, step })
      .execute();
    return result.affected === 1;
  }

  async replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<void> {
    await this.repository(RecoveryCodeEntity).delete({ userId });
    await this.repository(RecoveryCodeEntity).insert(codeHashes.map((codeHash) => ({ userId, codeHash })));
  }

  /** Uses up a recovery code; false when it is unknown or used. */
  async consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const result = await this.repository(RecoveryCodeEntity)
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'now()' })
      .where('user_id = :userId AND code_hash = :codeHash AND used_at IS NULL', { userId, codeHash })
      .execute();
    return result.affected === 1;
  }

  async insertRefreshToken(token: Pick<RefreshTokenEntity, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>): Promise<void> {
    await this.repository(RefreshTokenEntity).insert(token);
  }

  /** Locks the row so two uses of one token are decided one after the other. */
  refreshTokenForUpdate(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.repository(RefreshTokenEntity).findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  async markRefreshTokenUsed(id: string): Promise<void> {
    await this.repository(RefreshTokenEntity).update({ id }, { usedAt: new Date() });
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.repository(RefreshTokenEntity)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('family_id = :familyId AND revoked_at IS NULL', { familyId })
      .execute();
  }
}
