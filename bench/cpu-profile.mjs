// preload (node --import): a V8 CPU profile of this process, written to CPU_PROFILE_DIR as it exits
import inspector from 'node:inspector';
import fs from 'node:fs';
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');
process.on('exit', () => {
	session.post('Profiler.stop', (err, { profile }) => {
		fs.writeFileSync(`${process.env.CPU_PROFILE_DIR}/app-${process.pid}.cpuprofile`, JSON.stringify(profile));
	});
});
