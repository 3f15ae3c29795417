import { parsePhoneNumberFromString as parseWithWholeMetadata } from 'libphonenumber-js/mobile';
import { describe, expect, it } from 'vitest';
import { mainlandPhoneMetadata } from '../../scripts/generate-compact-data';
import { readCompressedJson } from '../../shared/lib/compressed-json';
import { AddressBody, MainlandMobile } from '../../shared/schemas/address';
import compressedPhoneMetadata from '../../shared/schemas/mainland-phone-metadata.brotli.json';
import mainlandPhoneMetadataFile from '../../shared/schemas/mainland-phone-metadata.json';

const valid = { name: '张三', phone: '13800138000', regionCode: '110105', detail: '建国路88号' };

const issuesOf = (input: unknown) => {
  const r = AddressBody.safeParse(input);
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => ({ path: i.path.join('.'), code: i.code }));
};

describe('AddressBody', () => {
  it('accepts a valid address, normalises the phone to E.164 and resolves the district names', () => {
    expect(AddressBody.parse(valid)).toEqual({
      name: '张三',
      phone: '+8613800138000',
      regionCode: '110105',
      province: '北京市',
      city: '北京市',
      district: '朝阳区',
      detail: '建国路88号',
    });
  });

  it.each([
    ['13800138000', '+8613800138000'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['+8613800138000', '+8613800138000'],
    ['199 1234 5678', '+8619912345678'],
  ])('normalises mobile %j to %s', (phone, e164) => {
    expect(AddressBody.parse({ ...valid, phone }).phone).toBe(e164);
  });

  it('resolves a district in another province', () => {
    expect(AddressBody.parse({ ...valid, regionCode: '440305' })).toMatchObject({
      province: '广东省',
      city: '深圳市',
      district: '南山区',
    });
  });

  it('trims the name and the detail', () => {
    const parsed = AddressBody.parse({ ...valid, name: '  李四 ', detail: ' 科技园 ' });
    expect(parsed).toMatchObject({ name: '李四', detail: '科技园' });
  });

  it.each([
    ['a landline', '010-12345678'],
    ['too short', '12345'],
    ['too long', '138001380001'],
    ['a US number', '+1 202 555 0123'],
    ['letters', 'call me'],
    ['empty', ''],
  ])('rejects %s as phone', (_label, phone) => {
    expect(issuesOf({ ...valid, phone })).toEqual([{ path: 'phone', code: 'custom' }]);
  });

  it('rejects a well-formed but unknown 6-digit region code', () => {
    expect(issuesOf({ ...valid, regionCode: '999999' })).toEqual([{ path: 'regionCode', code: 'custom' }]);
  });

  it.each([
    ['a province code', '110000'],
    ['a city code', '440300'],
  ])('rejects %s (not a district)', (_label, regionCode) => {
    expect(issuesOf({ ...valid, regionCode })).toEqual([{ path: 'regionCode', code: 'custom' }]);
  });

  it.each([['11010'], ['1101055'], ['11010a']])('rejects the malformed region code %j', (regionCode) => {
    const r = AddressBody.safeParse({ ...valid, regionCode });
    expect(r.success).toBe(false);
    // every issue is about regionCode, and the format message is among them
    expect(new Set(r.error!.issues.map((i) => i.path.join('.')))).toEqual(new Set(['regionCode']));
    expect(r.error!.issues.map((i) => i.message)).toContain('regionCode must be a 6-digit GB/T 2260 district code');
  });

  it.each([[''], ['   ']])('rejects the empty name %j', (name) => {
    expect(issuesOf({ ...valid, name })).toEqual([{ path: 'name', code: 'custom' }]);
  });

  it('rejects an empty detail', () => {
    expect(issuesOf({ ...valid, detail: '' })).toEqual([{ path: 'detail', code: 'custom' }]);
  });

  it('accepts a 30-character CJK name and rejects 31', () => {
    expect(AddressBody.safeParse({ ...valid, name: '张'.repeat(30) }).success).toBe(true);
    expect(issuesOf({ ...valid, name: '张'.repeat(31) })).toEqual([{ path: 'name', code: 'custom' }]);
  });

  it('rejects control characters in the detail', () => {
    expect(issuesOf({ ...valid, detail: '建国路\u000788号' })).toEqual([{ path: 'detail', code: 'custom' }]);
  });

  it('rejects unknown extra fields (strict object)', () => {
    expect(issuesOf({ ...valid, province: '北京市' })).toEqual([{ path: '', code: 'unrecognized_keys' }]);
  });

  it('rejects a missing field', () => {
    const { phone: _omit, ...rest } = valid;
    expect(issuesOf(rest).map((i) => i.path)).toEqual(['phone']);
  });
});

describe('MainlandMobile', () => {
  it('returns E.164', () => {
    expect(MainlandMobile.parse('16612345678')).toBe('+8616612345678');
  });

  /** The verdict of the rule on libphonenumber-js's whole mobile metadata (every country), before it was cut to China. */
  const wholeMetadataVerdict = (raw: string) => {
    const n = parseWithWholeMetadata(raw, 'CN');
    const type = n?.getType();
    return n?.country === 'CN' && n.isValid() && (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') ? n.number : null;
  };

  it('accepts and refuses exactly what the whole metadata did: every 3-digit prefix, landlines, other countries', () => {
    const samples = ['+85291234567', '0085291234567', '+85366123456', '+886912345678', '+12025550123', '+447911123456'];
    for (let p = 100; p < 200; p++) samples.push(`${p}12345678`, `+86${p}00138000`, `0086 ${p} 9999 0000`, `${p}1234567`);
    for (const area of ['010', '021', '0755', '0571']) samples.push(`${area}12345678`, `+86${area.slice(1)}1234567`);
    const ours = (raw: string) => {
      const r = MainlandMobile.safeParse(raw);
      return r.success ? r.data : null;
    };
    expect(samples.map(ours)).toEqual(samples.map(wholeMetadataVerdict));
    expect(samples.map(ours).filter(Boolean).length).toBeGreaterThan(100); // the sample holds many valid numbers
  });

  it("carries the installed library's China metadata: mainland-phone-metadata.json is not stale (npm run gen rewrites it)", () => {
    expect(mainlandPhoneMetadataFile).toEqual(mainlandPhoneMetadata());
  });

  it('the compressed copy the schema reads (mainland-phone-metadata.brotli.json) holds the same metadata', () => {
    const inflated = readCompressedJson(compressedPhoneMetadata);
    expect(inflated).toEqual(mainlandPhoneMetadata());
  });
});
