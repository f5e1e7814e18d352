/** Small catalogs and inputs for the cost tests, with round prices so results can be computed by hand. */
import type { Catalogs } from '../../src/cost/catalog-schema.js';
import { loadCatalogs } from '../../src/cost/catalog.js';
import type { CostInputs } from '../../src/cost/inputs.js';

export const COMPUTE = `provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of,status
Testcloud,r1,small,2,4,10.00,EUR,false,test,2026-01-01,ok
Testcloud,r1,medium,4,8,20.00,EUR,false,test,2026-01-01,ok
Testcloud,r1,large,8,16,35.00,EUR,false,test,2026-01-01,ok
`;

export const STORAGE = `provider,region,product,type,price_gib_month,currency,vat_included,source,as_of
Testcloud,r1,ssd volume,block,0.10,EUR,false,test,2026-01-01
Testcloud,,bucket,object,0.02,EUR,false,test,2026-01-01
`;

export const NETWORK = `provider,region,product,price_gib,free_gib_month,free_per,tier_from_gib,currency,vat_included,source,as_of
Testcloud,,egress,0.09,100,account,0,EUR,false,test,2026-01-01
`;

export const SAAS = `vendor,plan,price_user_month,currency,billing,min_users,vat_included,source,as_of,status
Chatco,Team,5.00,EUR,annual,130,false,test,2026-01-01,ok
`;

export function catalogs(files: Record<string, string>): Catalogs {
  return loadCatalogs(Object.entries(files).map(([file, text]) => ({ file, text })));
}

/** The Testcloud catalogs (compute, storage, network) and Chatco SaaS. */
export function testCatalogs(extra: Record<string, string> = {}): Catalogs {
  return catalogs({ 'compute.csv': COMPUTE, 'storage.csv': STORAGE, 'network.csv': NETWORK, 'saas.csv': SAAS, ...extra });
}

export function inputs(over: Partial<CostInputs> = {}): CostInputs {
  return {
    users: 100,
    growthPerMonth: 0.2,
    horizonMonths: 2,
    cores: 2,
    ramGiB: 4,
    processes: 1,
    deployment: 'monolith',
    databaseGiBByMonth: [10, 20, 30],
    mediaGiBByMonth: [0, 100, 200],
    egressGiBPerMonth: 1000,
    ...over,
  };
}
