import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// In `npm run dev` the browser talks only to the Vite server: it answers /config.json with its own origin for every
// service and proxies each service's /v1/<area> paths to the ports ./run.sh uses, so no CORS set-up is needed.
const servicePorts: Record<string, number> = {
  users: 5101,
  content: 5102,
  sessions: 5103,
  realtime: 5104,
  ai: 5105,
  billing: 5106,
};

function devConfig(): Plugin {
  return {
    name: 'practiceplatform-dev-config',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use('/config.json', (req, res) => {
        const origin = `http://${req.headers.host}`;
        const services = Object.fromEntries(Object.keys(servicePorts).map((name) => [name, origin]));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ services }));
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), devConfig()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      Object.entries(servicePorts).map(([name, port]) => [
        `/v1/${name}`,
        { target: `http://localhost:${port}`, changeOrigin: true, ws: name === 'realtime' },
      ]),
    ),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
});
