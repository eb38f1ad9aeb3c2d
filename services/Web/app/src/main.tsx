import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { loadConfig } from './api/config';
import { AuthProvider } from './auth';
import { App } from './App';
import './styles.css';

loadConfig().then(() => {
  createRoot(document.getElementById('root')!).render(
    <BrowserRouter>
      <AuthProvider>
        <App />
      </AuthProvider>
    </BrowserRouter>,
  );
});
