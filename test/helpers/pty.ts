import { KILN_BIN, run, type RunResult } from './cli';

/**
 * Runs the real `kiln` binary in a real pseudo-terminal (python3's pty module: no npm
 * dependency), so process.stdin.isTTY and process.stdout.isTTY are true in the child. CI is
 * unset for the child unless `env` sets it (kiln treats CI=true as "no one to ask").
 *
 * `answers` are [pattern, keys] pairs, in order: once the terminal output (ANSI codes
 * stripped) shows `pattern` after the previous answer, `keys` are typed followed by Enter
 * (`'\x03'`, Ctrl-C, alone; keys ending in a Tab are typed without Enter).
 * The result's stdout is the whole terminal transcript (stdout and stderr mixed, as a
 * terminal shows them), ANSI codes stripped; stderr is the driver's own.
 */
export async function kilnInPty(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; answers?: [RegExp, string][]; timeoutMs?: number },
): Promise<RunResult> {
  const answers = (options.answers ?? []).map(([re, keys]) => [re.source, keys]);
  const r = await run('python3', ['-c', PTY_DRIVER, JSON.stringify([process.execPath, KILN_BIN, ...args]), JSON.stringify(answers), String((options.timeoutMs ?? 50000) / 1000)], {
    cwd: options.cwd,
    env: { CI: undefined, TERM: 'xterm', FORCE_COLOR: undefined, NO_COLOR: undefined, ...options.env },
    timeoutMs: (options.timeoutMs ?? 50000) + 5000,
  });
  return { ...r, stdout: stripAnsi(r.stdout) };
}

export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

const PTY_DRIVER = String.raw`
import json, os, pty, re, select, signal, sys, time
argv = json.loads(sys.argv[1])
answers = json.loads(sys.argv[2])
timeout = float(sys.argv[3])
ansi = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(argv[0], argv, os.environ)
buf = b''
pos = 0
deadline = time.time() + timeout
while True:
    left = deadline - time.time()
    if left <= 0:
        os.kill(pid, signal.SIGKILL)
        sys.stderr.write('pty driver: timeout\n')
        break
    r, _, _ = select.select([fd], [], [], min(left, 0.5))
    if not r:
        continue
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    buf += data
    text = ansi.sub('', buf.decode('utf8', 'replace'))
    if answers and re.search(answers[0][0], text[pos:]):
        time.sleep(0.2)
        try:
            os.write(fd, answers[0][1].encode() + (b'' if answers[0][1] == '\x03' or answers[0][1].endswith('\t') else b'\r'))
        except OSError:
            pass
        answers.pop(0)
        pos = len(text)
_, status = os.waitpid(pid, 0)
sys.stdout.write(buf.decode('utf8', 'replace'))
sys.stdout.flush()
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
`;
