import { AppError } from '../../../platform/http';

export class RedirectNotAllowed extends AppError {
  readonly code = 'REDIRECT_NOT_ALLOWED';
  readonly status = 400;
  constructor() {
    super('returnTo must be an absolute URL that starts with one of the allowed sign-in return addresses.');
  }
}

export class ProviderNotFound extends AppError {
  readonly code = 'PROVIDER_NOT_FOUND';
  readonly status = 404;
  constructor(provider: string) {
    super(`There is no sign-in provider "${provider}" here.`);
  }
}

export class ProviderUnavailable extends AppError {
  readonly code = 'PROVIDER_UNAVAILABLE';
  readonly status = 502;
  constructor(options?: ErrorOptions) {
    super('The sign-in provider cannot be reached or answered unexpectedly; try again later.', options);
  }
}

/** The callback's state is missing, unknown, expired, used already, or was started in another browser. */
export class OAuthStateInvalid extends AppError {
  readonly code = 'OAUTH_STATE_INVALID';
  readonly status = 400;
  constructor() {
    super('This sign-in response does not belong to a sign-in started in this browser in the last 10 minutes; start again.');
  }
}

export class OAuthAccessDenied extends AppError {
  readonly code = 'OAUTH_ACCESS_DENIED';
  readonly status = 403;
  constructor() {
    super('The sign-in was cancelled or refused at the provider.');
  }
}

export class OAuthNonceMismatch extends AppError {
  readonly code = 'OAUTH_NONCE_MISMATCH';
  readonly status = 400;
  constructor() {
    super('The ID token was not issued for this sign-in (nonce mismatch).');
  }
}

export class OAuthIdTokenInvalid extends AppError {
  readonly code = 'OAUTH_ID_TOKEN_INVALID';
  readonly status = 400;
  constructor(options?: ErrorOptions) {
    super('The provider returned no valid ID token (signature, issuer, audience or expiry).', options);
  }
}

/** The provider refused the authorization code (e.g. a wrong PKCE verifier) or reported an error. */
export class OAuthFailed extends AppError {
  readonly code = 'OAUTH_FAILED';
  readonly status = 400;
  constructor(options?: ErrorOptions) {
    super('The sign-in provider refused to complete the sign-in; start again.', options);
  }
}

export class EmailDomainNotAllowed extends AppError {
  readonly code = 'EMAIL_DOMAIN_NOT_ALLOWED';
  readonly status = 403;
  constructor() {
    super("This sign-in provider is not open to your email address's domain.");
  }
}
