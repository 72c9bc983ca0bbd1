import type { UnitOfWork } from '../../platform/database';
import { AccountDeletionRequestEntity, IdentityEntity, UserEntity } from './users.entity';

export type UserProfile = Omit<UserEntity, 'createdAt' | 'updatedAt'> & { createdAt: Date };

export class UsersRepository {
  constructor(private readonly transactions: UnitOfWork) {}

  private get users() {
    return this.transactions.manager().getRepository(UserEntity);
  }

  async insert(user: Pick<UserEntity, 'id' | 'email' | 'emailVerified'> & Partial<UserEntity>): Promise<void> {
    await this.users.insert(user);
  }

  find(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  async update(id: string, changes: Partial<UserEntity>): Promise<void> {
    await this.users.update({ id }, changes);
  }

  async delete(id: string): Promise<void> {
    await this.users.delete({ id });
  }

  /** The account with this email, found past RLS by a definer function that returns only the id. */
  async idByEmail(email: string): Promise<string | undefined> {
    const [row] = await this.transactions.manager().query<Array<{ id: string | null }>>('SELECT auth_user_id_by_email($1) AS id', [email]);
    return row?.id ?? undefined;
  }

  async idByIdentity(provider: string, subject: string): Promise<string | undefined> {
    const [row] = await this.transactions.manager().query<Array<{ id: string | null }>>('SELECT auth_user_id_by_identity($1, $2) AS id', [provider, subject]);
    return row?.id ?? undefined;
  }

  async insertIdentity(identity: Pick<IdentityEntity, 'userId' | 'provider' | 'subject' | 'email'>): Promise<void> {
    await this.transactions.manager().getRepository(IdentityEntity).insert(identity);
  }

  async insertDeletionRequest(request: Pick<AccountDeletionRequestEntity, 'userId' | 'tokenHash' | 'expiresAt'>): Promise<void> {
    await this.transactions.manager().getRepository(AccountDeletionRequestEntity).insert(request);
  }

  /** Marks the request used if it is still valid; false when it is unknown, expired or used. */
  async consumeDeletionRequest(userId: string, tokenHash: string): Promise<boolean> {
    const result = await this.transactions
      .manager()
      .getRepository(AccountDeletionRequestEntity)
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'now()' })
      .where('user_id = :userId AND token_hash = :tokenHash AND used_at IS NULL AND expires_at > now()', { userId, tokenHash })
      .execute();
    return result.affected === 1;
  }
}
