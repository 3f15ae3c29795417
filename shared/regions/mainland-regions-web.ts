/** The pages' copy of the region tables: the packed JSON itself (the page's chunk is compressed in transfer anyway). */
import packed from './mainland-regions.json';
import { type RegionTables, unpackRegions } from './region-tables';

let tables: RegionTables | null = null;

export function mainlandRegionTables(): RegionTables {
  tables ??= unpackRegions(packed);
  return tables;
}
