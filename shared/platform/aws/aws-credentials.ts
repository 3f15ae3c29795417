import type { AwsCredentials } from '../../adapters/aws/sigv4';
import { readAwsCredentials } from '../../config/read-config';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The function's AWS credentials, read once: the Lambda runtime's environment always has them. Without them (a
 * misconfigured local run) only a call to AWS fails, naming what is missing, as the SDK's credential chain did.
 */
export function awsCredentials(env?: Env): AwsCredentials | (() => Promise<AwsCredentials>) {
  return (
    readAwsCredentials(env) ??
    (() => Promise.reject(new Error('no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are unset (Lambda sets them)')))
  );
}
