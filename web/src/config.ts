/** Where the API lives: same origin locally; a deploy sets VITE_API_BASE (e.g. https://xxx/songli). */
export const API_BASE: string = import.meta.env.VITE_API_BASE ?? '';
