import { buildNodeInfos } from '../../framework/node-info';
import { ALL_NODES_KEY } from '../../framework/plugin';
import { makeNode, makePod } from '../../testing';
import { imageLocalityScore, NAME, normalizedImageName } from './index';

const MB = 1024 * 1024;
const image = (name: string, mb: number) => ({ names: [name], sizeBytes: mb * MB });

// After Kubernetes' TestImageLocalityPriority (image_locality_test.go): its nodes, images and formula.
describe(`${NAME} Score`, () => {
  const node403002000 = makeNode('node403002000', { images: [image('gcr.io/40:latest', 40), image('gcr.io/300:latest', 300), image('gcr.io/2000:latest', 2000)] });
  const node25010 = makeNode('node25010', { images: [image('gcr.io/250:latest', 250), image('gcr.io/10:latest', 10)] });
  const node60040900 = makeNode('node60040900', { images: [image('gcr.io/600:latest', 600), image('gcr.io/40:latest', 40), image('gcr.io/900:latest', 900)] });
  const cases = [
    {
      // node403002000: 40MB × 1/2 = 20MB < 23MB → 0; node25010: 100 × (250MB/2 − 23MB) / (2000MB − 23MB) = 5
      name: 'two images spread on two nodes, prefer the larger image one',
      images: ['gcr.io/40', 'gcr.io/250'],
      nodes: [node403002000, node25010],
      want: [0, 5],
    },
    {
      // node403002000: 100 × (300/2 − 23) / (3000 − 23) = 4; node60040900: 100 × (600/2 + 900/2 − 23) / (3000 − 23) = 24
      name: 'two images on one node, prefer this node',
      images: ['gcr.io/300', 'gcr.io/600', 'gcr.io/900'],
      nodes: [node403002000, node60040900],
      want: [4, 24],
    },
    {
      // one node: 2000MB × 1/1 is capped at the 1000MB-per-container threshold → 100
      name: 'if exceed limit, use limit',
      images: ['gcr.io/2000'],
      nodes: [node403002000],
      want: [100],
    },
    {
      // 2000MB × 1/2 = 1000MB over a 2 × 1000MB threshold: 100 × (1000 − 23) / (2000 − 23) = 49
      name: 'the threshold grows with the number of containers',
      images: ['gcr.io/2000', 'gcr.io/10'],
      nodes: [node403002000, node25010],
      want: [49, 0],
    },
  ];
  it.each(cases)('$name', ({ images, nodes, want }) => {
    const pod = makePod({ images });
    const infos = buildNodeInfos(nodes, []);
    const state = new Map<string, unknown>([[ALL_NODES_KEY, infos]]);
    expect(infos.map((n) => imageLocalityScore(state, pod, n))).toEqual(want);
  });

  it('normalizes image names', () => {
    expect(['nginx', 'nginx:1.25', 'localhost:5000/app', 'localhost:5000/app:v1'].map(normalizedImageName)).toEqual([
      'nginx:latest',
      'nginx:1.25',
      'localhost:5000/app:latest',
      'localhost:5000/app:v1',
    ]);
  });
});
