// Writes docs/keywords.md from the compiled keyword tables. Run `npm run build:ts` first.
import { writeFileSync } from 'node:fs';
import { renderKeywordsDoc } from '../dist/config/schema/keywords-doc.js';

const target = new URL('../docs/keywords.md', import.meta.url);
writeFileSync(target, renderKeywordsDoc());
console.log(`wrote ${target.pathname}`);
