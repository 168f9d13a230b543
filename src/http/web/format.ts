/** Moved to src/i18n/format.ts (lint messages use it too); kept while a page still imports it from here. */
export { formatDate, formatDays } from '../../i18n/format.ts';
