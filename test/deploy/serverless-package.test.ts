/**
 * Runs `serverless package` (osls, offline, no credentials) and checks the CloudFormation it generates:
 * every contract route behind the JWT authorizer, the schedules, the table with the adapter's indexes, and
 * IAM limited to that table.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/manifest';
import { giftsTableDefinition } from '../../shared/adapters/dynamodb/gifts-table';
import { operations } from '../../shared/http/operations';
import { tempDataDir } from '../support/http-harness';

const out = tempDataDir();
let cfn: { Resources: Record<string, { Type: string; Properties: any; DependsOn?: unknown }> };
const ofType = (type: string) => Object.entries(cfn.Resources).filter(([, r]) => r.Type === type);

beforeAll(async () => {
  await promisify(execFile)('npx', ['serverless', 'package', '--stage', 'qa', '--region', 'ap-northeast-1', '--package', out.dir], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, SONGLI_JWT_ISSUER_URL: 'https://login.example.cn/', SONGLI_JWT_AUDIENCE: 'songli-miniapp' },
    timeout: 170_000,
  });
  cfn = JSON.parse(readFileSync(join(out.dir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 180_000);
afterAll(() => out.remove());

const contractRoutes = Object.values(operations)
  .filter((op) => op.tag !== 'dev')
  .map((op) => `${op.method.toUpperCase()} ${op.path.replace(/:(\w+)/g, '{$1}')}`)
  .sort();

describe('serverless package (AWS)', () => {
  it('creates one stage-suffixed Lambda per function, Node.js 20 on arm64', () => {
    const fns = ofType('AWS::Lambda::Function').map(([, r]) => r.Properties);
    expect(fns).toHaveLength(FUNCTIONS.filter((f) => f.kind !== 'cloudbase-gateway').length);
    for (const f of fns) {
      expect(f.FunctionName).toMatch(/^songli-qa-[a-z-]+$/);
      expect(f.Runtime).toBe('nodejs20.x');
      expect(f.Architectures).toEqual(['arm64']);
      expect(f.Environment.Variables.GIFTS_TABLE).toBe('songli-gifts-v2-qa');
      expect(f.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('routes exactly the HTTP contract, every user route through the JWT authorizer', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(contractRoutes);
    for (const r of routes) {
      if (r.RouteKey === 'POST /merchant/fulfillment-events') {
        expect(r.AuthorizationType ?? 'NONE').toBe('NONE'); // authenticated by the merchant's HMAC signature
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
      JwtConfiguration: { Issuer: 'https://login.example.cn/', Audience: ['songli-miniapp'] },
    });
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

  it('grants only item reads/writes and queries on that table and its indexes', () => {
    const role = cfn.Resources.IamRoleLambdaExecution!.Properties;
    const statements = role.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    const dynamo = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(1);
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
    const everything = statements.filter((s: any) => [s.Resource].flat().includes('*'));
    expect(everything).toEqual([]);
  });
});
