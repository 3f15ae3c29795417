/**
 * SSM Parameter Store and Secrets Manager on 127.0.0.1, speaking what the AWS SDK v3 sends them: the AWS JSON 1.1
 * protocol, `POST /` with `X-Amz-Target: AmazonSSM.GetParameters` (or `.GetParameter`) and
 * `secretsmanager.GetSecretValue`, SigV4-signed. Point the SDK at it with AWS_ENDPOINT_URL_SSM /
 * AWS_ENDPOINT_URL_SECRETS_MANAGER. Like the real services it answers SecureStrings encrypted unless asked
 * WithDecryption, lists unknown names under InvalidParameters, refuses more than 10 names a call, and names an
 * unknown secret ResourceNotFoundException. It records every request (target, body, the signature's scope).
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretStoreRequest {
  target: string;
  body: any;
  /** From the SigV4 credential scope: `<key>/<date>/<region>/<service>/aws4_request`. */
  region: string | null;
  service: string | null;
}

export interface FakeAwsSecrets {
  url: string;
  /** SSM SecureString parameters by full name. */
  parameters: Map<string, string>;
  /** Secrets Manager SecretStrings by secret name. */
  secrets: Map<string, string>;
  requests: SecretStoreRequest[];
  /** Answer the next `n` requests with this AWS error (default: AccessDeniedException, which the SDK does not retry). */
  failNext(n: number, type?: string): void;
  close(): Promise<void>;
}

const ACCOUNT = '123456789012';
/** What SSM returns for a SecureString read without decryption: KMS ciphertext, never the value. */
const ciphertext = (value: string) => `AQICAH${createHash('sha256').update(value).digest('base64')}`;

export async function startFakeAwsSecrets(
  opts: { parameters?: Record<string, string>; secrets?: Record<string, string> } = {},
): Promise<FakeAwsSecrets> {
  let failing = 0;
  let failure = 'AccessDeniedException';
  const fake = {
    url: '',
    parameters: new Map(Object.entries(opts.parameters ?? {})),
    secrets: new Map(Object.entries(opts.secrets ?? {})),
    requests: [] as SecretStoreRequest[],
    failNext(n: number, type = 'AccessDeniedException') {
      failing = n;
      failure = type;
    },
  } as FakeAwsSecrets;

  const parameter = (name: string, decrypt: boolean, region: string) => ({
    Name: name,
    Type: 'SecureString',
    Value: decrypt ? fake.parameters.get(name) : ciphertext(fake.parameters.get(name)!),
    Version: 1,
    LastModifiedDate: 1_700_000_000,
    ARN: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name}`,
    DataType: 'text',
  });

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
      const region = scope?.[1] ?? null;
      const body = raw ? JSON.parse(raw) : {};
      fake.requests.push({ target, body, region, service: scope?.[2] ?? null });
      const reply = (status: number, json: unknown) =>
        res
          .writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${fake.requests.length}` })
          .end(JSON.stringify(json));
      const error = (type: string, message: string) => reply(400, { __type: type, message });
      if (!scope) return error('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
      if (failing > 0) {
        failing--;
        return error(failure, `User: arn:aws:sts::${ACCOUNT}:assumed-role/songli-test is not authorized to perform: ${target}`);
      }
      if (target === 'AmazonSSM.GetParameters') {
        const names: string[] = body.Names ?? [];
        if (names.length < 1 || names.length > 10) {
          return error('ValidationException', "1 validation error detected: Value at 'names' failed to satisfy constraint: length ≤ 10");
        }
        const known = names.filter((n) => fake.parameters.has(n));
        return reply(200, {
          Parameters: known.map((n) => parameter(n, body.WithDecryption === true, region!)),
          InvalidParameters: names.filter((n) => !fake.parameters.has(n)),
        });
      }
      if (target === 'AmazonSSM.GetParameter') {
        if (!fake.parameters.has(body.Name)) return error('ParameterNotFound', '');
        return reply(200, { Parameter: parameter(body.Name, body.WithDecryption === true, region!) });
      }
      if (target === 'secretsmanager.GetSecretValue') {
        const value = fake.secrets.get(body.SecretId);
        if (value === undefined) return error('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return reply(200, {
          ARN: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${body.SecretId}-AbCdEf`,
          Name: body.SecretId,
          VersionId: '00000000-0000-0000-0000-000000000001',
          SecretString: value,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1_700_000_000,
        });
      }
      return error('UnknownOperationException', `unknown operation ${target}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((r) => server.close(() => r()));
  return fake;
}

/** Reads of the SSM batch call (GetParameters), the one a cold start makes. */
export const ssmBatchReads = (fake: FakeAwsSecrets) => fake.requests.filter((r) => r.target === 'AmazonSSM.GetParameters');
