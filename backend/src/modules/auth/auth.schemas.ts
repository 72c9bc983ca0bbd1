import { z } from '../../platform/openapi';
import { MIN_PASSWORD_LENGTH } from './passwords';

const email = z.email().max(254).openapi({ example: 'ada@example.com' });
// Long enough to resist guessing; capped so hashing cannot be used to burn CPU.
const password = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(256);

export const Registration = z.object({ email, password }).strict().openapi('Registration');
export const Login = z.object({ email, password: z.string().min(1).max(256) }).strict().openapi('Login');

export const TokenPair = z
  .object({
    status: z.literal('signed-in'),
    tokenType: z.literal('Bearer'),
    accessToken: z.string(),
    expiresIn: z.number().int().openapi({ description: 'Seconds until the access token expires.' }),
    refreshToken: z.string().openapi({ description: 'Opaque; rotated on every use. Reusing a used one signs the session out everywhere.' }),
    onboarded: z.boolean().openapi({ description: 'False until POST /api/v1/me/onboarding succeeded.' }),
  })
  .openapi('TokenPair');

export const MfaRequired = z
  .object({ status: z.literal('mfa-required'), challenge: z.string().openapi({ description: 'Valid for 5 minutes; complete it at POST /api/v1/auth/mfa.' }) })
  .openapi('MfaRequired');

export const SignInResult = z.discriminatedUnion('status', [TokenPair, MfaRequired]).openapi('SignInResult');

export const SecondFactor = z
  .object({
    challenge: z.string().min(1),
    code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code').optional(),
    recoveryCode: z.string().min(1).max(40).optional(),
  })
  .strict()
  .refine((value) => (value.code === undefined) !== (value.recoveryCode === undefined), { message: 'give either code or recoveryCode', path: ['code'] })
  .openapi('SecondFactor');

export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(200) }).strict().openapi('RefreshRequest');
export const LoginCodeExchange = z.object({ code: z.string().min(1).max(200) }).strict().openapi('LoginCodeExchange');
export const TotpCode = z.object({ code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code') }).strict().openapi('TotpCode');
export const TotpSetup = z
  .object({ secret: z.string().openapi({ description: 'Base32, for manual entry.' }), otpauthUri: z.string().openapi({ description: 'otpauth:// URI for a QR code.' }) })
  .openapi('TotpSetup');
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()).length(10).openapi({ description: 'Shown once; each works once instead of a code.' }) }).openapi('RecoveryCodes');
export const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi('Jwks');
