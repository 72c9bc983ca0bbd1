import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

/** A person who signs in. Row-level security lets a user see only their own row. */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('users_email_key', { unique: true })
  @Column({ type: 'citext' })
  email!: string;

  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified!: boolean;

  /** Chosen during onboarding; unique regardless of case. */
  @Index('users_username_key', { unique: true })
  @Column({ type: 'citext', nullable: true })
  username!: string | null;

  @Column({ name: 'first_name', type: 'text', nullable: true })
  firstName!: string | null;

  @Column({ name: 'last_name', type: 'text', nullable: true })
  lastName!: string | null;

  /** A calendar date; the age is derived from it, never stored. */
  @Column({ type: 'date', nullable: true })
  birthday!: string | null;

  @Column({ type: 'text', default: 'system' })
  theme!: Theme;

  @Column({ type: 'text', default: 'en' })
  locale!: string;

  /** ISO 4217 code of the user's base currency. */
  @Column({ type: 'char', length: 3, default: 'EUR' })
  currency!: string;

  /** IANA time zone, e.g. Europe/Berlin. */
  @Column({ name: 'time_zone', type: 'text', default: 'UTC' })
  timeZone!: string;

  @Column({ name: 'onboarded_at', type: 'timestamptz', nullable: true })
  onboardedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A way to sign in from outside: Google or a company's OpenID Connect provider. */
@Entity({ name: 'identities' })
@Index('identities_provider_subject_key', ['provider', 'subject'], { unique: true })
export class IdentityEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('identities_user_id_idx')
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'identities_user_id_fkey' })
  user?: UserEntity;

  @Column({ type: 'text' })
  provider!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'citext', nullable: true })
  email!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A pending "delete my account" confirmation; the emailed token is stored only as its hash. */
@Entity({ name: 'account_deletion_requests' })
export class AccountDeletionRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('account_deletion_requests_user_id_idx')
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'account_deletion_requests_user_id_fkey' })
  user?: UserEntity;

  @Index('account_deletion_requests_token_hash_key', { unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
