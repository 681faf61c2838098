/**
 * Renderer entry: connects the API (preload in Electron, HTTP bridge in a browser), then
 * mounts the app with a fresh Pinia.
 */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { connectApi } from './api';
import './styles/theme.css';
import 'uplot/dist/uPlot.min.css';

connectApi();
createApp(App).use(createPinia()).mount('#app');
