import { render } from 'preact';

function App() {
  return <main>Asset Desk</main>;
}

const root = document.getElementById('app');
if (root) render(<App />, root);
