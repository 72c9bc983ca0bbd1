import { AppError } from '../../platform/http';

export class ModelVersionExists extends AppError {
  readonly code = 'MODEL_VERSION_EXISTS';
  readonly status = 409;
  constructor(name: string, version: string) {
    super(`${name}@${version} is already registered; a retrained model gets a new version.`);
  }
}

export class ModelNotFound extends AppError {
  readonly code = 'MODEL_NOT_FOUND';
  readonly status = 404;
  constructor(name: string, version: string) {
    super(`${name}@${version} is not registered.`);
  }
}

export class ModelNotPromotable extends AppError {
  readonly code = 'MODEL_NOT_PROMOTABLE';
  readonly status = 409;
  constructor(name: string, version: string) {
    super(`${name}@${version} failed: its backtest scored no series, so it cannot serve.`);
  }
}

export class ModelNotFeedable extends AppError {
  readonly code = 'MODEL_NOT_FEEDABLE';
  readonly status = 409;
  constructor(name: string, version: string, modelSpec: number, releaseSpec: number) {
    super(`${name}@${version} was trained on forecast feature spec ${modelSpec}; this release computes spec ${releaseSpec}, so it cannot serve. Retrain it.`);
  }
}
