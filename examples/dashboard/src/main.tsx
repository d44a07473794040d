import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApolloProvider } from '@apollo/client/react';

import { App } from './App';
import { createClient } from './apollo';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');

createRoot(root).render(
  <StrictMode>
    <ApolloProvider client={createClient()}>
      <App />
    </ApolloProvider>
  </StrictMode>,
);
