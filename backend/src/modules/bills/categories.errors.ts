import { AppError } from '../../platform/http';

export class DuplicateCategory extends AppError {
  readonly code = 'CATEGORY_NAME_TAKEN';
  readonly status = 409;
  constructor(name: string) {
    super(`There is a category called "${name}" already.`);
  }
}
