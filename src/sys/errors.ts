// Errors from system calls and the kernel: always carry errno, code and the failed operation.

export interface SystemError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;
}

export function isSystemError(error: unknown): error is SystemError {
  return (
    error instanceof Error &&
    typeof (error as Partial<SystemError>).errno === 'number' &&
    typeof (error as Partial<SystemError>).code === 'string'
  );
}

/** True when `error` is a system error with one of the given codes (e.g. 'EEXIST'). */
export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  return isSystemError(error) && codes.includes(error.code);
}
