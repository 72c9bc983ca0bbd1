import { AppError } from '../../platform/http';

export class InvalidAuditCursor extends AppError {
  readonly code = 'INVALID_CURSOR';
  readonly status = 400;
  constructor() {
    super('The cursor is not one this listing handed out; start again without it.');
  }
}
