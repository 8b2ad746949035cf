import 'dotenv/config';
console.log(process.env.TOKEN ? 'ready' : 'no token');
