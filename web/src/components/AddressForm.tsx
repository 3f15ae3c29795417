import { useState } from 'preact/hooks';
import { regionTables } from '../../../shared/regions/china-regions';
import type { Address } from '../api';
import { fieldErrors } from '../texts';

// Mainland only, from the very table the server validates against: Hong Kong, Macau and Taiwan are refused there.
const provinces = Object.entries(regionTables.provinces);
const cities = Object.entries(regionTables.cities);
const counties = Object.entries(regionTables.counties);

export interface AddressInput {
  name: string;
  phone: string;
  regionCode: string;
  detail: string;
}

/**
 * 填写收货地址 with a 省/市/区 cascade drawn from the same GB/T 2260 table (@vant/area-data, mainland districts) the
 * server validates the district code against, so every choice here is accepted there.
 */
export function AddressForm({
  initial,
  error,
  busy,
  onSubmit,
}: {
  initial: Address | null;
  error: unknown;
  busy: boolean;
  onSubmit: (a: AddressInput) => void;
}) {
  const [name, setName] = useState(initial?.name ?? '');
  const [phone, setPhone] = useState(initial?.phone.replace(/^\+86/, '') ?? '');
  const [province, setProvince] = useState(initial ? `${initial.regionCode.slice(0, 2)}0000` : '');
  const [city, setCity] = useState(initial ? `${initial.regionCode.slice(0, 4)}00` : '');
  const [district, setDistrict] = useState(initial?.regionCode ?? '');
  const [detail, setDetail] = useState(initial?.detail ?? '');
  const errors = fieldErrors(error);
  const cityOptions = cities.filter(([code]) => province && code.startsWith(province.slice(0, 2)));
  const districtOptions = counties.filter(([code]) => city && code.startsWith(city.slice(0, 4)));
  const field = (id: string, key: string) => (errors[key] ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {});
  const hint = (id: string, key: string) =>
    errors[key] ? (
      <span id={`${id}-error`} class="error">
        {errors[key]}
      </span>
    ) : null;

  return (
    <form
      class="address"
      aria-label="收货地址"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ name, phone, regionCode: district, detail });
      }}
    >
      <label for="addr-name">收货人</label>
      <input
        id="addr-name"
        value={name}
        autocomplete="name"
        onInput={(e) => setName((e.target as HTMLInputElement).value)}
        {...field('addr-name', 'name')}
      />
      {hint('addr-name', 'name')}
      <label for="addr-phone">手机号</label>
      <input
        id="addr-phone"
        type="tel"
        inputMode="tel"
        value={phone}
        autocomplete="tel"
        onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
        {...field('addr-phone', 'phone')}
      />
      {hint('addr-phone', 'phone')}
      <label for="addr-province">省份</label>
      <select
        id="addr-province"
        value={province}
        onChange={(e) => {
          setProvince((e.target as HTMLSelectElement).value);
          setCity('');
          setDistrict('');
        }}
        {...field('addr-province', 'regionCode')}
      >
        <option value="">请选择省份</option>
        {provinces.map(([code, n]) => (
          <option key={code} value={code}>
            {n}
          </option>
        ))}
      </select>
      <label for="addr-city">城市</label>
      <select
        id="addr-city"
        value={city}
        disabled={!province}
        onChange={(e) => {
          setCity((e.target as HTMLSelectElement).value);
          setDistrict('');
        }}
      >
        <option value="">请选择城市</option>
        {cityOptions.map(([code, n]) => (
          <option key={code} value={code}>
            {n}
          </option>
        ))}
      </select>
      <label for="addr-district">区县</label>
      <select id="addr-district" value={district} disabled={!city} onChange={(e) => setDistrict((e.target as HTMLSelectElement).value)}>
        <option value="">请选择区县</option>
        {districtOptions.map(([code, n]) => (
          <option key={code} value={code}>
            {n}
          </option>
        ))}
      </select>
      {hint('addr-province', 'regionCode')}
      <label for="addr-detail">详细地址</label>
      <textarea
        id="addr-detail"
        rows={2}
        value={detail}
        autocomplete="street-address"
        onInput={(e) => setDetail((e.target as HTMLTextAreaElement).value)}
        {...field('addr-detail', 'detail')}
      />
      {hint('addr-detail', 'detail')}
      <div class="actions">
        <button type="submit" disabled={busy}>
          保存地址
        </button>
      </div>
    </form>
  );
}
