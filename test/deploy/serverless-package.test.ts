/**
 * Runs `serverless package` (osls, offline, no credentials) and checks the CloudFormation it generates:
 * every user route behind the JWT authorizer, which trusts the app itself as issuer, the schedules, the table with
 * the adapter's indexes, the group orders' parts table, IAM limited to those tables and to this stage's secrets, and
 * no secret anywhere in it (the functions read them from SSM Parameter Store or Secrets Manager at cold start,
 * shared/platform/aws/aws-secrets.ts).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/manifest';
import { giftsTableDefinition } from '../../shared/adapters/dynamodb/gifts-table';
import { partsTableDefinition } from '../../shared/adapters/dynamodb/parts-table';
import { deploysTo } from '../../shared/composition/function-manifest';
import { SECRET_SETTINGS, WechatSettings } from '../../shared/config/wechat-settings';
import { operations } from '../../shared/http/operations';
import { tempDataDir } from '../support/http-harness';

const out = tempDataDir();
type Resource = { Type: string; Properties: any; DependsOn?: unknown; Condition?: string };
let cfn: { Resources: Record<string, Resource>; Conditions: Record<string, unknown> };
const ofType = (type: string) => Object.entries(cfn.Resources).filter(([, r]) => r.Type === type);
const ROOT = join(import.meta.dirname, '..', '..');
/** Every secret setting set in the deploying shell, as an operator might leave them: none may reach the package. */
const SHELL_SECRETS = Object.fromEntries(SECRET_SETTINGS.map((s) => [s, `shell-secret-${s.toLowerCase()}-0123456789abcdef`]));

beforeAll(async () => {
  await promisify(execFile)('npx', ['serverless', 'package', '--stage', 'qa', '--region', 'ap-northeast-1', '--package', out.dir], {
    cwd: ROOT,
    env: { ...process.env, ...SHELL_SECRETS, SONGLI_JWT_AUDIENCE: 'songli-miniapp', SONGLI_SECRETS_MANAGER_SECRET: '' },
    timeout: 170_000,
  });
  cfn = JSON.parse(readFileSync(join(out.dir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 180_000);
afterAll(() => out.remove());

/** Evaluates a CloudFormation condition of this template (Fn::Equals / Fn::Not over literals), as a deploy would. */
function holds(condition: unknown, conditions: Record<string, unknown>): boolean {
  const c = condition as Record<string, any>;
  if (c.Condition) return holds(conditions[c.Condition], conditions);
  if (c['Fn::Equals']) return c['Fn::Equals'][0] === c['Fn::Equals'][1];
  if (c['Fn::Not']) return !holds(c['Fn::Not'][0], conditions);
  throw new Error(`unexpected condition ${JSON.stringify(c)}`);
}

/** The IAM statements a deploy grants: the role's own and those of every attached policy whose condition holds. */
function grants(template: { Resources: Record<string, Resource>; Conditions?: Record<string, unknown> }) {
  const conditions = template.Conditions ?? {};
  return Object.values(template.Resources).flatMap((r) => {
    if (r.Condition && !holds(conditions[r.Condition], conditions)) return [];
    if (r.Type === 'AWS::IAM::Role') return r.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    if (r.Type === 'AWS::IAM::Policy') {
      expect(r.Properties.Roles).toEqual([{ Ref: 'IamRoleLambdaExecution' }]);
      return r.Properties.PolicyDocument.Statement;
    }
    return [];
  });
}

const withSecretsPrefix = (service: string, rest: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${rest}`,
});

const routeKey = (op: { method: string; path: string }) => `${op.method.toUpperCase()} ${op.path.replace(/:(\w+)/g, '{$1}')}`;
const contractRoutes = Object.values(operations)
  .filter((op) => op.tag !== 'dev')
  .map(routeKey)
  .sort();
/** Routes that authenticate otherwise (a merchant's signature) or are how a caller gets a token in the first place. */
const routesWithoutAuthorizer = Object.values(operations)
  .filter((op) => op.tag !== 'dev' && op.auth !== 'user')
  .map(routeKey)
  .sort();
/** The HTTP API's own https endpoint, as CloudFormation resolves it. */
const HTTP_API_ENDPOINT = {
  'Fn::Join': ['', ['https://', { Ref: 'HttpApi' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]],
};
const functionsOf = () => ofType('AWS::Lambda::Function').map(([id, r]) => ({ id, ...r.Properties }));

describe('serverless package (AWS)', () => {
  it('creates one stage-suffixed Lambda per function, Node.js 24 on arm64', () => {
    const fns = functionsOf();
    expect(fns).toHaveLength(FUNCTIONS.filter((f) => deploysTo(f, 'aws')).length);
    for (const f of fns) {
      expect(f.FunctionName).toMatch(/^songli-qa-[a-z-]+$/);
      expect(f.Runtime).toBe('nodejs24.x');
      expect(f.Architectures).toEqual(['arm64']);
      expect(f.Environment.Variables.GIFTS_TABLE).toBe('songli-gifts-v2-qa');
      expect(f.Environment.Variables.PARTS_TABLE).toBe('songli-parts-qa');
      // No --enable-source-maps: parsing the map cost ~30 ms of every cold start (build/esbuild-options.cjs).
      expect(f.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    }
  });

  it('routes exactly the HTTP contract, every user route through the JWT authorizer', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(contractRoutes);
    expect(routesWithoutAuthorizer).toEqual([
      'GET /.well-known/jwks.json',
      'GET /.well-known/openid-configuration',
      'GET /claims/{token}/preview', // public by design: nothing private, misses limited per client address
      'POST /auth/wechat',
      'POST /merchant/fulfillment-events', // authenticated by the merchant's HMAC signature
      'POST /wechatpay/notify', // authenticated by WeChat Pay's RSA signature, checked before anything changes
    ]);
    for (const r of routes) {
      if (routesWithoutAuthorizer.includes(r.RouteKey)) {
        expect(r.AuthorizationType ?? 'NONE', r.RouteKey).toBe('NONE');
        expect(r.AuthorizerId, r.RouteKey).toBeUndefined();
        continue;
      }
      expect(r.AuthorizationType).toBe('JWT');
      expect(r.AuthorizerId).toEqual({ Ref: 'HttpApiAuthorizerWechatJwt' });
    }
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const authorizer = authorizers[0]![1];
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: HTTP_API_ENDPOINT, Audience: ['songli-miniapp'] },
    });
  });

  it('trusts the app itself: every function issues or expects the issuer and audience the authorizer checks', () => {
    const { JwtConfiguration } = cfn.Resources.HttpApiAuthorizerWechatJwt!.Properties;
    for (const f of functionsOf()) {
      expect(f.Environment.Variables.AUTH_JWT_ISSUER, f.id).toEqual(JwtConfiguration.Issuer);
      expect([f.Environment.Variables.AUTH_JWT_AUDIENCE], f.id).toEqual(JwtConfiguration.Audience);
    }
  });

  it("passes every WeChat setting that is no secret, WeChat Pay notifying this API's own /wechatpay/notify by default", () => {
    const { JwtConfiguration } = cfn.Resources.HttpApiAuthorizerWechatJwt!.Properties;
    // WECHAT*_API_BASE and the timeout keep their defaults on a deploy; AUTH_* are checked above.
    const passed = Object.keys(WechatSettings).filter(
      (k) => !(SECRET_SETTINGS as readonly string[]).includes(k) && !/_API_BASE$|_TIMEOUT_MS$|^AUTH_/.test(k),
    );
    for (const f of functionsOf()) {
      for (const k of passed) expect(f.Environment.Variables, `${f.id} ${k}`).toHaveProperty(k);
      expect(f.Environment.Variables.PAYMENT_PROVIDER).toBe('wechatpay');
      expect(f.Environment.Variables.WECHATPAY_NOTIFY_URL).toEqual({ 'Fn::Join': ['', [JwtConfiguration.Issuer, '/wechatpay/notify']] });
    }
  });

  it('creates the authorizer only once the API serves its discovery document and keys (API Gateway reads them then)', () => {
    const dependsOn = cfn.Resources.HttpApiAuthorizerWechatJwt!.DependsOn as string[];
    const routeId = (key: string) => ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === key)![0];
    expect(dependsOn).toEqual(
      expect.arrayContaining([
        'HttpApiStage',
        routeId('GET /.well-known/openid-configuration'),
        routeId('GET /.well-known/jwks.json'),
        'OpenidDashconfigurationLambdaPermissionHttpApi',
        'JwksLambdaPermissionHttpApi',
      ]),
    );
    expect(cfn.Resources.HttpApiStage!.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true });
  });

  it('has no dependency cycle (a Lambda refers to the API for its issuer, the authorizer waits for Lambdas)', () => {
    const edges = new Map<string, Set<string>>();
    const collect = (value: unknown, into: Set<string>): void => {
      if (Array.isArray(value)) for (const v of value) collect(v, into);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          if (k === 'Ref' && typeof v === 'string' && v in cfn.Resources) into.add(v);
          else if (k === 'Fn::GetAtt') into.add(Array.isArray(v) ? v[0] : String(v).split('.')[0]!);
          else collect(v, into);
        }
      }
    };
    for (const [id, r] of Object.entries(cfn.Resources)) {
      const deps = new Set<string>([r.DependsOn ?? []].flat() as string[]);
      collect(r.Properties, deps);
      edges.set(id, deps);
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const cycle: string[] = [];
    const visit = (id: string, path: string[]): boolean => {
      if (state.get(id) === 'done') return false;
      if (state.get(id) === 'visiting') return cycle.push(...path, id) > 0;
      state.set(id, 'visiting');
      for (const d of edges.get(id) ?? []) if (visit(d, [...path, id])) return true;
      state.set(id, 'done');
      return false;
    };
    for (const id of edges.keys()) if (visit(id, [])) break;
    expect(cycle).toEqual([]);
  });

  it('passes no secret in the template: the sign-in function demands its key, appid and secret by name', () => {
    for (const f of functionsOf()) {
      const vars = f.Environment.Variables as Record<string, unknown>;
      for (const name of ['AUTH_JWT_PRIVATE_KEY', 'WECHAT_APP_SECRET', 'WECHATPAY_PRIVATE_KEY', 'WECHATPAY_APIV3_KEY']) {
        expect(SECRET_SETTINGS).toContain(name);
        expect(vars[name], `${f.id} ${name}`).toBeUndefined();
      }
    }
    const auth = functionsOf().find((f) => f.FunctionName === 'songli-qa-auth-wechat')!;
    expect(auth.Environment.Variables.REQUIRED_SETTINGS).toBe('AUTH_JWT_PRIVATE_KEY,WECHAT_APPID,WECHAT_APP_SECRET');
  });

  it('schedules the cleanup and the three dispatchers every minute', () => {
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    const targets = rules
      .map((r) => ({ rate: r.ScheduleExpression, fn: r.Targets[0].Arn['Fn::GetAtt'][0] }))
      .sort((a, b) => a.fn.localeCompare(b.fn));
    expect(targets).toEqual([
      { rate: 'rate(1 minute)', fn: 'DispatchDashhandoffsLambdaFunction' },
      { rate: 'rate(1 minute)', fn: 'DispatchDashnotificationsLambdaFunction' },
      { rate: 'rate(1 minute)', fn: 'DispatchDashrefundsLambdaFunction' },
      { rate: 'rate(1 minute)', fn: 'SweepDashgiftsLambdaFunction' },
    ]);
  });

  it("declares the gifts table with the DynamoDB adapter's indexes, point-in-time recovery and retention", () => {
    const table = cfn.Resources.GiftsTable!;
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect((table as any).DeletionPolicy).toBe('Retain');
    expect(table.Properties.TableName).toBe('songli-gifts-v2-qa');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
    expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(giftsTableDefinition('x').GlobalSecondaryIndexes);
    expect(table.Properties.AttributeDefinitions).toEqual(giftsTableDefinition('x').AttributeDefinitions);
    // Festival scale: no index holds the whole item, and no partition key takes a constant value.
    for (const index of table.Properties.GlobalSecondaryIndexes) expect(index.Projection.ProjectionType).not.toBe('ALL');
  });

  it("declares the parts table keyed as the DynamoDB group store's, with point-in-time recovery and retention", () => {
    const table = cfn.Resources.PartsTable!;
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect((table as any).DeletionPolicy).toBe('Retain');
    expect(table.Properties.TableName).toBe('songli-parts-qa');
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    const { KeySchema, AttributeDefinitions, GlobalSecondaryIndexes } = partsTableDefinition('x');
    expect(table.Properties.KeySchema).toEqual(KeySchema);
    expect(table.Properties.AttributeDefinitions).toEqual(AttributeDefinitions);
    // The units' sparse timer index, keys and kinds only (never the documents).
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(GlobalSecondaryIndexes);
    expect(table.Properties.GlobalSecondaryIndexes.map((i: any) => [i.IndexName, i.Projection])).toEqual([
      ['timer', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['timerKinds'] }],
    ]);
    expect(table.Properties.TimeToLiveSpecification).toBeUndefined();
  });

  it('grants only item reads/writes and queries on the gifts table and its indexes, and on the parts table', () => {
    const role = cfn.Resources.IamRoleLambdaExecution!.Properties;
    const statements = role.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    const dynamo = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(3);
    expect(dynamo[0].Action.sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(dynamo[0].Resource).toEqual([
      { 'Fn::GetAtt': ['GiftsTable', 'Arn'] },
      { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['GiftsTable', 'Arn'] }, 'index', '*']] },
    ]);
    // The group store reads, conditionally puts, queries one partition or the timer index and batch-reads due units:
    // no update, no other index.
    expect(dynamo[1].Effect).toBe('Allow');
    expect([...dynamo[1].Action].sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(dynamo[1].Resource).toEqual([
      { 'Fn::GetAtt': ['PartsTable', 'Arn'] },
      { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['PartsTable', 'Arn'] }, 'index', 'timer']] },
    ]);
    // What osls adds for the stream events: reading the two tables' streams, nothing else.
    expect([...dynamo[2].Action].sort()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ]);
    expect(dynamo[2].Resource).toEqual([{ 'Fn::GetAtt': ['GiftsTable', 'StreamArn'] }, { 'Fn::GetAtt': ['PartsTable', 'StreamArn'] }]);
    const everything = grants(cfn).filter((s: any) => [s.Resource].flat().includes('*'));
    expect(everything).toEqual([]);
  });

  it("feeds dispatch-stream from both tables' streams (new images), filtered to items with a pending effect", () => {
    for (const table of ['GiftsTable', 'PartsTable']) {
      expect(cfn.Resources[table]!.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    }
    const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);
    expect(mappings.map((m: any) => m.EventSourceArn)).toEqual([
      { 'Fn::GetAtt': ['GiftsTable', 'StreamArn'] },
      { 'Fn::GetAtt': ['PartsTable', 'StreamArn'] },
    ]);
    for (const m of mappings) {
      expect(m).toMatchObject({
        FunctionName: { 'Fn::GetAtt': ['DispatchDashstreamLambdaFunction', 'Arn'] },
        StartingPosition: 'LATEST',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 5,
      });
      const patterns = m.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern));
      expect(patterns).toEqual([{ dynamodb: { NewImage: { timerKinds: { SS: ['handoff', 'refund', 'notify'] } } } }]);
    }
  });

  it('sets no secret as an environment variable and carries no secret value, only where the secrets are', () => {
    for (const [name, r] of ofType('AWS::Lambda::Function')) {
      const variables = r.Properties.Environment.Variables;
      for (const secret of SECRET_SETTINGS) expect(variables, `${name} ${secret}`).not.toHaveProperty(secret);
      expect(variables.SECRETS_SSM_PATH).toEqual({ 'Fn::If': ['SecretsInSsm', '/songli/qa/', { Ref: 'AWS::NoValue' }] });
      expect(variables.SECRETS_MANAGER_SECRET_ID['Fn::If'][0]).toBe('SecretsInSecretsManager');
    }
    // Nothing the deploying shell held reaches the package: neither the template nor the rest of .serverless.
    for (const file of readdirSync(out.dir).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(out.dir, file), 'utf8');
      for (const value of Object.values(SHELL_SECRETS)) expect(text, file).not.toContain(value);
    }
  });

  it("grants reading only this stage's SSM parameters, and decrypting only through SSM for them (the default store)", () => {
    expect(holds({ Condition: 'SecretsInSsm' }, cfn.Conditions)).toBe(true);
    expect(holds({ Condition: 'SecretsInSecretsManager' }, cfn.Conditions)).toBe(false);
    const secretGrants = grants(cfn).filter((s: any) => [s.Action].flat().some((a: string) => /^(ssm|kms|secretsmanager):/.test(a)));
    const parameters = withSecretsPrefix('ssm', 'parameter/songli/qa/*');
    expect(secretGrants).toEqual([
      { Effect: 'Allow', Action: ['ssm:GetParameters', 'ssm:GetParameter'], Resource: parameters },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: withSecretsPrefix('kms', 'key/*'),
        Condition: {
          StringEquals: { 'kms:ViaService': { 'Fn::Sub': `ssm.\${AWS::Region}.\${AWS::URLSuffix}` } },
          StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': parameters },
        },
      },
    ]);
  });

  it('grants reading only the one named Secrets Manager secret instead, when that store is chosen', async () => {
    const { stdout } = await promisify(execFile)('npx', ['serverless', 'print', '--stage', 'qa', '--format', 'json'], {
      cwd: ROOT,
      env: { ...process.env, ...SHELL_SECRETS, SONGLI_SECRETS_MANAGER_SECRET: 'songli/qa' },
      timeout: 60_000,
    });
    const config = JSON.parse(stdout);
    const template = config.resources;
    expect(holds({ Condition: 'SecretsInSecretsManager' }, template.Conditions)).toBe(true);
    expect(holds({ Condition: 'SecretsInSsm' }, template.Conditions)).toBe(false);
    expect(config.provider.environment.SECRETS_MANAGER_SECRET_ID).toEqual({
      'Fn::If': ['SecretsInSecretsManager', 'songli/qa', { Ref: 'AWS::NoValue' }],
    });
    for (const secret of SECRET_SETTINGS) expect(config.provider.environment).not.toHaveProperty(secret);
    expect(stdout).not.toContain(SHELL_SECRETS.MERCHANT_API_SECRET);
    const secretGrants = grants(template).filter((s: any) => /^(ssm|kms|secretsmanager):/.test([s.Action].flat()[0]));
    expect(secretGrants).toEqual([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: withSecretsPrefix('secretsmanager', 'secret:songli/qa-??????'),
      },
    ]);
  }, 70_000);
});
