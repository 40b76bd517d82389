import { describe, expect, it } from 'vitest';
import { isSecretKeyName, redactEnvValue, redactText } from '../../src/shared/redact.js';

// Realistic-looking but fake credentials, assembled at run time so no scanner flags this file.
const slackBot = ['xoxb', '1234567890', '0987654321', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
const slackApp = ['xapp', '1', 'A01BCDEFGHI', '1234567890123', 'abcdef0123456789abcdef0123456789'].join('-');
const github = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const awsKey = 'AKIA' + 'IOSFODNN7EXAMPLE';
const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY';
const anthropic = 'sk-ant-api03-' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe-AbCdEf';
const openai = 'sk-proj-' + 'T3BlbkFJabcdefghijklmnopqrstuvwxyz012345';
const gcp = 'AIza' + 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY';
const jwt = [
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ',
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
].join('.');

describe('redactText masks credentials', () => {
  it.each([
    ['slack bot token in a log line', `level=error msg="slack post failed" token=${slackBot}`, slackBot],
    ['slack app token', `SLACK_APP_TOKEN=${slackApp}`, slackApp],
    ['github token', `cloning with https://x-access-token:${github}@github.com/acme/app.git`, github],
    ['github token bare', `using ${github} for the api`, github],
    ['aws access key id', `aws_access_key_id = ${awsKey}`, awsKey],
    ['aws secret key', `AWS_SECRET_ACCESS_KEY=${awsSecret}`, awsSecret],
    ['anthropic key', `calling claude with key ${anthropic}`, anthropic],
    ['openai key', `OPENAI_API_KEY: ${openai}`, openai],
    ['gcp api key', `maps.googleapis.com/maps/api?key=${gcp}`, gcp],
    ['bearer header', `GET /v1/orders Authorization: Bearer ${jwt}`, jwt],
    ['jwt in json', `{"level":"info","session":"${jwt}"}`, jwt],
    ['postgres url password', 'connecting to postgres://app:s3cr3t-Pa55@db.shop.svc:5432/shop', 's3cr3t-Pa55'],
    ['redis url password', 'REDIS_URL=redis://:hunter2hunter2@redis.shop.svc:6379/0', 'hunter2hunter2'],
    ['mongodb+srv password', 'mongodb+srv://svc:Xy7%40pass@cluster0.abcde.mongodb.net/db', 'Xy7%40pass'],
    ['json password', '{"user":"app","password":"correct horse battery staple"}', 'correct horse battery staple'],
    ['yaml secret', 'clientSecret: 9f8e7d6c5b4a39281706', '9f8e7d6c5b4a39281706'],
    ['env password', 'DB_PASSWORD=Tr0ub4dor&3', 'Tr0ub4dor'],
    ['cli flag', 'exec /app/server --api-key=abc123def456ghi789', 'abc123def456ghi789'],
    ['azure connection string', 'DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=c2VjcmV0a2V5c2VjcmV0a2V5c2VjcmV0a2V5Cg==;EndpointSuffix=core.windows.net', 'c2VjcmV0a2V5c2VjcmV0a2V5c2VjcmV0a2V5Cg=='],
  ])('%s', (_name, input, secret) => {
    const out = redactText(input);
    expect(out).not.toContain(secret);
    expect(out).toContain('****');
  });

  it('keeps the shape of a connection string', () => {
    expect(redactText('postgres://app:pw123456@db:5432/shop')).toBe('postgres://app:****@db:5432/shop');
    expect(redactText('redis://:pw123456@redis:6379')).toBe('redis://:****@redis:6379');
  });

  it('keeps vendor prefixes and key names', () => {
    expect(redactText(`token=${slackBot}`)).toBe('token=xoxb-****');
    expect(redactText('DB_PASSWORD=hunter2')).toBe('DB_PASSWORD=****');
    expect(redactText('{"password": "hunter2"}')).toBe('{"password": "****"}');
  });

  it('masks a multi-line PEM private key', () => {
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA7bq1x0ZbW9', 'q8f2L0A9Zk3R', '-----END RSA PRIVATE KEY-----'].join('\n');
    const out = redactText(`loading key\n${pem}\ndone`);
    expect(out).not.toContain('MIIEowIBAAKCAQEA7bq1x0ZbW9');
    expect(out).toContain('-----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY-----');
    expect(out).toContain('done');
  });

  it('masks a PEM key cut off by a log tail', () => {
    const out = redactText('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(out).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  });

  it('masks secrets in a realistic env dump', () => {
    const dump = [
      'PATH=/usr/local/bin:/usr/bin',
      'PAYMENT_URL=http://payments.shop.svc:8080',
      `STRIPE_SECRET_KEY=${'sk_live_' + '51H8abcdefGHIJKLmnop'}`,
      'DATABASE_URL=postgres://checkout:Zq8!rT@pg.shop.svc:5432/checkout',
      'JWT_SIGNING_SECRET=aa11bb22cc33dd44',
      'LOG_LEVEL=info',
    ].join('\n');
    const out = redactText(dump);
    expect(out).toContain('PAYMENT_URL=http://payments.shop.svc:8080');
    expect(out).toContain('LOG_LEVEL=info');
    expect(out).toContain('PATH=/usr/local/bin:/usr/bin');
    expect(out).not.toContain('51H8abcdefGHIJKLmnop');
    expect(out).not.toContain('Zq8!rT');
    expect(out).not.toContain('aa11bb22cc33dd44');
  });

  it('is idempotent', () => {
    const once = redactText(`Authorization: Bearer ${jwt} password=abc12345`);
    expect(redactText(once)).toBe(once);
  });
});

describe('redactText leaves ordinary text alone', () => {
  it.each([
    'FATAL config: PAYMENT_URL "htp://payments" is not a valid URL',
    'GET https://api.example.com/v1/orders?page=2&limit=50 200 12ms',
    'Pulling image "registry.example.com/shop/frontend:2.3.1-typo"',
    'image registry.example.com/shop/checkout@sha256:4f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f',
    'Back-off restarting failed container checkout in pod checkout-7d9f8b6c5-x2k4p_shop(5f0c1e2a-3b4d-4c5e-8f9a-0b1c2d3e4f5a)',
    '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient memory.',
    'Readiness probe failed: HTTP probe failed with statuscode: 503',
    'Token verification failed for request 42',
    'author: jane, tokens used: 1200, secretName: db-credentials',
    'Basic authentication required',
    'auth: enabled',
    'mounting secret volume "tls" from secret shop/frontend-tls',
    'DB_PASSWORD=<from secret checkout-db key password>',
  ])('%s', (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe('redactEnvValue', () => {
  it('masks the whole value when the name says secret', () => {
    expect(redactEnvValue('DB_PASSWORD', 'x')).toBe('****');
    expect(redactEnvValue('GITHUB_TOKEN', 'abc')).toBe('****');
    expect(redactEnvValue('stripeApiKey', 'abc')).toBe('****');
  });
  it('keeps ordinary values and still masks embedded credentials', () => {
    expect(redactEnvValue('PAYMENT_URL', 'htp://payments')).toBe('htp://payments');
    expect(redactEnvValue('DATABASE_URL', 'postgres://u:pw@db:5432/x')).toBe('postgres://u:****@db:5432/x');
  });
  it('recognises secret-looking names only', () => {
    expect(isSecretKeyName('AWS_SECRET_ACCESS_KEY')).toBe(true);
    expect(isSecretKeyName('SECRET_NAME_PREFIX')).toBe(true);
    expect(isSecretKeyName('AUTHOR')).toBe(false);
    expect(isSecretKeyName('PAYMENT_URL')).toBe(false);
  });
});
