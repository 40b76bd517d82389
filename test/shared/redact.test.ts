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

  // Shapes a real leak contains that the first version missed (issue 12).
  it.each([
    ['short slack bot token', 'SLACK_BOT_TOKEN is xoxb-1234-abcd', 'xoxb-1234-abcd'],
    ['slack user token', `using ${['xoxp', '11', '22', 'abc'].join('-')} now`, ['xoxp', '11', '22', 'abc'].join('-')],
    ['slack refresh token', 'rotating xoxr-9a8b7c6d', '9a8b7c6d'],
    ['slack config token', 'xoxa-2-abcdef', 'abcdef'],
    ['short slack app token', 'xapp-1-A1', 'xapp-1-A1'],
    ['github oauth token', `gho_${'16charsAbCdEf0123'}`, '16charsAbCdEf0123'],
    ['github server token', `ghs_${'AbCdEf0123456789xyz'}`, 'AbCdEf0123456789xyz'],
    ['github fine-grained pat', `github_pat_${'11ABCDEFG0123456789_abcdefghijklmnop'}`, '11ABCDEFG0123456789_abcdefghijklmnop'],
    ['aws session key id', `ASIA${'QWERTYUIOPASDFGH'} used`, 'QWERTYUIOPASDFGH'],
    ['bare aws secret key after the key name', `aws_secret_access_key ${awsSecret}`, awsSecret],
    ['bare aws secret key beside the id', `AWS creds: ${awsKey} ${awsSecret}`, awsSecret],
    ['gcp service-account private key json', `{"type":"service_account","private_key_id":"1a2b3c4d5e6f7a8b","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\n-----END PRIVATE KEY-----\\n"}`, 'MIIEvQIBADANBgkq'],
    ['gcp private key id', '{"private_key_id":"1a2b3c4d5e6f7a8b"}', '1a2b3c4d5e6f7a8b'],
    ['azure sas signature', 'https://acct.blob.core.windows.net/c?sv=2021-08-06&ss=b&sig=AbC%2Bdef%3D&se=2026', 'AbC%2Bdef%3D'],
    ['azure service bus key', 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=Zm9vYmFyYmF6cXV4MTIz=', 'Zm9vYmFyYmF6cXV4MTIz'],
    ['short anthropic key', 'sk-ant-api03-abcdefghijklmnop', 'abcdefghijklmnop'],
    ['openai key', 'sk-abcdefghijklmnopqrstuv12', 'abcdefghijklmnopqrstuv12'],
    ['stripe restricted key', 'rk_live_abcdefghij12', 'abcdefghij12'],
    ['stripe test key', 'sk_test_4eC39HqLyjWDarjtT1', '4eC39HqLyjWDarjtT1'],
    ['openssh private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAA'],
    ['pgp private key block', '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGA1c2UBCAC\n-----END PGP PRIVATE KEY BLOCK-----', 'lQOYBGA1c2UBCAC'],
    ['password without separator', 'login with password hunter2', 'hunter2'],
    ['secret <value>', 'the secret s3cr3tValue was rotated', 's3cr3tValue'],
    ['"is" between word and value', 'the password is Tr0ub4dor.', 'Tr0ub4dor'],
    ['api key without separator', 'api key 9f8e7d6c5b4a39281706', '9f8e7d6c5b4a39281706'],
    ['token near its word', 'the token for ci is aB3dE5gH7jK9mN1pQ3sT5', 'aB3dE5gH7jK9mN1pQ3sT5'],
    ['ado connection string', 'Server=tcp:db;User ID=sa;Password=Pa55w0rd!;Encrypt=true', 'Pa55w0rd!'],
    ['amqp url', 'amqp://guest:guestpw@rabbit:5672/', 'guestpw'],
    ['redis url with only a password', 'redis://:hunter2@redis:6379/0', 'hunter2'],
  ])('%s', (_name, input, secret) => {
    const out = redactText(input);
    expect(out).not.toContain(secret);
    expect(out).toContain('****');
    expect(redactText(out)).toBe(out);
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
    'Error: secret db-credentials not found',
    'password authentication failed for user "app"',
    'token bucket 5 of 10 refilled',
    'rotating the secret key now',
    'commit 4f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f changed the key rotation',
    'secret checksum sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'pod checkout-7d9f8b6c5-x2k4p token refresh at 2026-12-02T07:37:12.123Z uid 5f0c1e2a-3b4d-4c5e-8f9a-0b1c2d3e4f5a',
    'key ConfigMapKeySelector not found in ReplicaSet checkout-7d9f8b6c5',
    'secret mounted at /var/run/secrets/kubernetes.io/serviceaccount/token',
    'credentials for ServiceAccount default/checkout expired at 2026-12-02T07:37:12Z',
    'kube-system/coredns-5d78c9869d-abcde Running node ip-10-0-12-34.eu-west-1.compute.internal',
    'risk-free retry of task-7 with disk-5',
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
