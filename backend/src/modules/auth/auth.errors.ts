import { AppError } from '../../platform/http';

export class InvalidCredentials extends AppError {
  readonly code = 'INVALID_CREDENTIALS';
  readonly status = 401;
  constructor() {
    super('The email or password is wrong.');
  }
}

export class EmailTaken extends AppError {
  readonly code = 'EMAIL_TAKEN';
  readonly status = 409;
  constructor() {
    super('An account with this email exists already; sign in instead.');
  }
}

export class InvalidRefreshToken extends AppError {
  readonly code = 'REFRESH_TOKEN_INVALID';
  readonly status = 401;
  constructor() {
    super('The refresh token is invalid, expired or revoked; sign in again.');
  }
}

export class InvalidMfaChallenge extends AppError {
  readonly code = 'MFA_CHALLENGE_INVALID';
  readonly status = 401;
  constructor() {
    super('The sign-in challenge is invalid or expired; sign in again.');
  }
}

export class InvalidTotpCode extends AppError {
  readonly code = 'TOTP_CODE_INVALID';
  readonly status = 401;
  constructor() {
    super('The code is wrong, expired or was used already.');
  }
}

export class TotpNotSetUp extends AppError {
  readonly code = 'TOTP_NOT_SET_UP';
  readonly status = 409;
  constructor() {
    super('Start two-factor setup first.');
  }
}

export class TotpAlreadyEnabled extends AppError {
  readonly code = 'TOTP_ALREADY_ENABLED';
  readonly status = 409;
  constructor() {
    super('Two-factor authentication is on already; disable it first to set up a new authenticator.');
  }
}

export class TotpNotEnabled extends AppError {
  readonly code = 'TOTP_NOT_ENABLED';
  readonly status = 409;
  constructor() {
    super('Two-factor authentication is not on.');
  }
}

export class LoginRateLimited extends AppError {
  readonly code = 'LOGIN_RATE_LIMITED';
  readonly status = 429;
  constructor() {
    super('Too many sign-in attempts; wait a few minutes and try again.');
  }
}

export class InvalidLoginCode extends AppError {
  readonly code = 'LOGIN_CODE_INVALID';
  readonly status = 401;
  constructor() {
    super('The sign-in code is invalid, expired or used; sign in again.');
  }
}

export class EmailRequired extends AppError {
  readonly code = 'EMAIL_REQUIRED';
  readonly status = 400;
  constructor() {
    super('The identity provider did not share an email address, which Spendcast needs.');
  }
}

export class AccountExists extends AppError {
  readonly code = 'ACCOUNT_EXISTS_UNVERIFIED_EMAIL';
  readonly status = 409;
  constructor() {
    super('An account with this email exists, and the provider has not verified the email: sign in with your password instead.');
  }
}
