import { AppError } from '../../platform/http';

export class BillNotFound extends AppError {
  readonly code = 'BILL_NOT_FOUND';
  readonly status = 404;
  constructor() {
    super('There is no such bill, or you may not see it.');
  }
}

export class ExchangeRateRequired extends AppError {
  readonly code = 'EXCHANGE_RATE_REQUIRED';
  readonly status = 422;
  constructor(currency: string, base: string) {
    super(`No rate from ${currency} to ${base} is known for that day: give exchangeRate, or upload rates.`);
  }
}

export class CategoryNotUsable extends AppError {
  readonly code = 'CATEGORY_NOT_USABLE';
  readonly status = 422;
  constructor() {
    super('The category does not exist in this scope: personal categories go with personal bills and budgets, group categories with the group’s.');
  }
}

export class SplitInvalid extends AppError {
  readonly code = 'SPLIT_INVALID';
  readonly status = 422;
  constructor(problem: string) {
    super(`The split is invalid: ${problem}.`);
  }
}

export class VersionMismatch extends AppError {
  readonly code = 'VERSION_MISMATCH';
  readonly status = 412;
  constructor(current: number) {
    super(`The bill changed meanwhile (now version ${current}); reload it and apply your change again.`);
    this.extensions.currentVersion = current;
    this.headers.ETag = `"${current}"`;
  }
}

export class VersionRequired extends AppError {
  readonly code = 'VERSION_REQUIRED';
  readonly status = 428;
  constructor() {
    super('Send If-Match with the version (ETag) you are changing.');
  }
}

export class InvalidCursor extends AppError {
  readonly code = 'INVALID_CURSOR';
  readonly status = 400;
  constructor() {
    super('The cursor is not one this listing handed out; start again without it.');
  }
}

export class RatesChangeNotAllowed extends AppError {
  readonly code = 'RATES_CHANGE_NOT_ALLOWED';
  readonly status = 403;
  constructor() {
    super('Only a group admin may upload the group’s exchange rates.');
  }
}
