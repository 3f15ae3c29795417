import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ADDRESS_DETAIL_MAX_CHARS, ADDRESS_NAME_MAX_CHARS } from '../../../shared/schemas/text-limits';
import type { Address } from '../api';
import type { AddressDraft } from '../drafts';
import { useRegionTables } from '../region-tables';
import { charCount, fieldErrors } from '../texts';
import { ActionButton } from './ActionButton';

export interface AddressInput {
  name: string;
  phone: string;
  regionCode: string;
  detail: string;
}

export const EMPTY_ADDRESS: AddressDraft = { name: '', phone: '', province: '', city: '', district: '', detail: '' };

/** The form's fields for a saved address (修改地址 starts from it). */
export const draftOf = (a: Address | null): AddressDraft =>
  a
    ? {
        name: a.name,
        phone: a.phone.replace(/^\+86/, ''),
        province: `${a.regionCode.slice(0, 2)}0000`,
        city: `${a.regionCode.slice(0, 4)}00`,
        district: a.regionCode,
        detail: a.detail,
      }
    : EMPTY_ADDRESS;

export const inputOf = (d: AddressDraft): AddressInput => ({ name: d.name, phone: d.phone, regionCode: d.district, detail: d.detail });

// 详细地址 is one line on a parcel label: a line break typed or pasted becomes a space.
const oneLine = (s: string) => s.replace(/\r\n|\r|\n/g, ' ');

/**
 * 填写收货地址 with a 省/市/区 cascade drawn from the same GB/T 2260 table (@vant/area-data, mainland districts) the
 * server validates the district code against, so every choice here is accepted there. Controlled: the claim page
 * holds the fields (in the session's draft) so 收下礼物 can save them, and a refresh keeps them.
 */
export function AddressForm({
  value,
  onChange,
  error,
  saving,
  disabled,
  onSubmit,
  onCancel,
  children,
}: {
  value: AddressDraft;
  /** Changed fields only: several may change before the next render (an autofill), each merged into the latest. */
  onChange: (change: Partial<AddressDraft>) => void;
  error: unknown;
  saving: boolean;
  /** Another request is under way: 保存地址 waits for it. */
  disabled: boolean;
  onSubmit: () => void;
  /** 取消修改: back to the saved address (only when there is one). */
  onCancel?: () => void;
  /** Shown above 保存地址 (the save's own error and 重试). */
  children?: ComponentChildren;
}) {
  const form = useRef<HTMLFormElement>(null);
  const errors = fieldErrors(error);
  // A refused save moves the eye (and the screen reader) to the first field to fix.
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    const first = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    first?.focus();
    first?.scrollIntoView({ block: 'center' });
  }, [error]);
  const set = onChange;
  // Mainland only, from the very table the server validates against: Hong Kong, Macau and Taiwan are refused there.
  const regions = useRegionTables();
  const provinces = regions.tables ? Object.entries(regions.tables.provinces) : [];
  const cities = regions.tables ? Object.entries(regions.tables.cities) : [];
  const counties = regions.tables ? Object.entries(regions.tables.counties) : [];
  const cityOptions = cities.filter(([code]) => value.province && code.startsWith(value.province.slice(0, 2)));
  const districtOptions = counties.filter(([code]) => value.city && code.startsWith(value.city.slice(0, 4)));
  const field = (id: string, key: string, extra?: string) => {
    const described = [errors[key] ? `${id}-error` : null, extra].filter(Boolean).join(' ');
    return { ...(errors[key] ? { 'aria-invalid': true } : {}), ...(described ? { 'aria-describedby': described } : {}) };
  };
  const hint = (id: string, key: string) =>
    errors[key] ? (
      <span id={`${id}-error`} class="error field-error">
        {errors[key]}
      </span>
    ) : null;
  const detailCount = charCount(value.detail);

  return (
    <form
      ref={form}
      class="address"
      aria-label="收货地址"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <label for="addr-name">收货人</label>
      <input
        id="addr-name"
        value={value.name}
        maxLength={ADDRESS_NAME_MAX_CHARS}
        autocomplete="name"
        onInput={(e) => set({ name: (e.target as HTMLInputElement).value })}
        {...field('addr-name', 'name')}
      />
      {hint('addr-name', 'name')}
      <label for="addr-phone">手机号</label>
      <input
        id="addr-phone"
        type="tel"
        inputMode="tel"
        maxLength={20}
        value={value.phone}
        autocomplete="tel"
        onInput={(e) => set({ phone: (e.target as HTMLInputElement).value })}
        {...field('addr-phone', 'phone')}
      />
      {hint('addr-phone', 'phone')}
      <label for="addr-province">省份</label>
      <select
        id="addr-province"
        value={value.province}
        disabled={!regions.tables}
        onChange={(e) => set({ province: (e.target as HTMLSelectElement).value, city: '', district: '' })}
        {...field('addr-province', 'regionCode')}
      >
        <option value="">{regions.tables ? '请选择省份' : '正在加载地区…'}</option>
        {provinces.map(([code, n]) => (
          <option key={code} value={code}>
            {n}
          </option>
        ))}
      </select>
      <label for="addr-city">城市</label>
      <select
        id="addr-city"
        value={value.city}
        disabled={!value.province}
        onChange={(e) => set({ city: (e.target as HTMLSelectElement).value, district: '' })}
      >
        <option value="">请选择城市</option>
        {cityOptions.map(([code, n]) => (
          <option key={code} value={code}>
            {n}
          </option>
        ))}
      </select>
      <label for="addr-district">区县</label>
      <select
        id="addr-district"
        value={value.district}
        disabled={!value.city}
        onChange={(e) => set({ district: (e.target as HTMLSelectElement).value })}
      >
        <option value="">请选择区县</option>
        {districtOptions.map(([code, n]) => (
          <option key={code} value={code}>
            {n}
          </option>
        ))}
      </select>
      {hint('addr-province', 'regionCode')}
      {regions.failed ? (
        <p class="error" role="alert">
          地区列表没有加载成功{' '}
          <button type="button" onClick={regions.retry}>
            重试
          </button>
        </p>
      ) : null}
      <label for="addr-detail">详细地址</label>
      <textarea
        id="addr-detail"
        rows={2}
        value={value.detail}
        maxLength={ADDRESS_DETAIL_MAX_CHARS}
        autocomplete="street-address"
        placeholder="街道、楼栋、门牌号"
        onInput={(e) => {
          const el = e.target as HTMLTextAreaElement;
          const text = oneLine(el.value);
          if (text !== el.value) el.value = text;
          set({ detail: text });
        }}
        onKeyDown={(e) => e.key === 'Enter' && !e.isComposing && e.preventDefault()}
        {...field('addr-detail', 'detail', 'addr-detail-count')}
      />
      <span id="addr-detail-count" class={`muted counter${detailCount > ADDRESS_DETAIL_MAX_CHARS ? ' over' : ''}`}>
        {detailCount}/{ADDRESS_DETAIL_MAX_CHARS}
      </span>
      {hint('addr-detail', 'detail')}
      {children}
      <div class="actions">
        <ActionButton type="submit" busy={saving} busyLabel="保存中…" disabled={disabled}>
          保存地址
        </ActionButton>
        {onCancel ? (
          <button type="button" class="link" disabled={disabled} onClick={onCancel}>
            取消修改
          </button>
        ) : null}
      </div>
    </form>
  );
}
