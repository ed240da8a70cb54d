import { loadProductConfig, type ProductConfig } from '../domain/product-config.js';
import { configDir } from './env.js';

let loaded: ProductConfig | undefined;

/** The product configuration of CONFIG_DIR, loaded and validated once per process. */
export function productConfig(): ProductConfig {
  loaded ??= loadProductConfig(configDir());
  return loaded;
}
